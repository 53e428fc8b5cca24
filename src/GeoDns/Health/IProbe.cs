namespace GeoDns.Health;

/// <summary>
/// Checks one target once. A dead, slow or misconfigured edge is a failed <see cref="ProbeResult"/>,
/// never an exception; only the caller's own cancellation throws. <paramref name="connectTimeout"/>
/// bounds the TCP handshake: the target's own (adaptive, see <see cref="LatencyEstimate"/>), at most
/// its settings' Timeout, which bounds the whole probe (for HTTPS, the handshake, TLS and response).
/// </summary>
public interface IProbe
{
    Task<ProbeResult> ProbeAsync(ProbeTarget target, TimeSpan connectTimeout, CancellationToken ct);

    /// <summary>
    /// Completes when the target shows a sign of failure between probes, so the monitor probes it at once
    /// (the real probes hold a connection open: <see cref="HeldConnection"/>); by default, never. Throws only on <paramref name="ct"/>.
    /// </summary>
    Task WatchAsync(ProbeTarget target, CancellationToken ct) => Task.Delay(Timeout.InfiniteTimeSpan, ct);
}
