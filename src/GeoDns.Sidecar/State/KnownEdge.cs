using GeoDns.Sidecar.WireGuard;

namespace GeoDns.Sidecar.State;

/// <summary>An edge the sidecar keeps a tunnel to: its machine, WireGuard keys and tunnel address.</summary>
public sealed record KnownEdge(EdgeHost Host, EdgeRole Role, KeyPair? Keys, string? Tunnel, DateTimeOffset Since)
{
    public string Name => Host.Name;

    /// <summary>True while the edge has a tunnel: from creation until it is destroyed.</summary>
    public bool HoldsTunnel => Role != EdgeRole.Retired;
}
