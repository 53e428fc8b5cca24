namespace GeoDns.Sidecar.WireGuard;

/// <summary>One edge as the home sees it: its key, where to dial it, and its one tunnel address.</summary>
public sealed record HomePeer(string Name, string PublicKey, string Endpoint, string TunnelAddress);
