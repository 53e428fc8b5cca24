namespace GeoDns.Health;

/// <summary>
/// The outcome of one probe: a value, never an exception. <paramref name="NoReply"/>: the failure
/// got nothing back from the edge (a timeout, an unreachable host or network), as opposed to an
/// answer that says no (refused, reset, a TLS or HTTP error). Only when every probe fails with no
/// reply can the fault be this nameserver's own network (see <see cref="HealthMonitor"/>).
/// <paramref name="ConnectLatency"/>: the TCP handshake alone, when the probe does more (HTTPS).
/// </summary>
public sealed record ProbeResult(bool Success, TimeSpan Latency, DateTimeOffset At, string? Error = null, int? CertificateDaysLeft = null, bool NoReply = false,
    TimeSpan? ConnectLatency = null);
