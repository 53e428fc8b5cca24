namespace GeoDns.Health;

/// <summary>
/// A report from outside the probes that an address cannot serve, e.g. the sidecar's "tunnel
/// down" (WireGuard's latest handshake too old, or a probe through the tunnel failed): the edge
/// accepts connections, so probes from here see it Up, yet its path home is broken. It holds
/// until <paramref name="Until"/> unless renewed, so a sidecar that dies pins no edge Down.
/// </summary>
public sealed record PassiveSignal(string Reason, DateTimeOffset Until);
