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
    /// Holds a connection open to the target between probes and says how it ended (<see cref="HeldConnection"/>),
    /// so that the monitor probes at once when the edge closes it. By default nothing is held: it never ends.
    /// Throws only on <paramref name="ct"/>.
    /// </summary>
    async Task<HoldEnd> HoldAsync(ProbeTarget target, CancellationToken ct)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, ct);
        return HoldEnd.NotHeld;
    }
}
