namespace GeoDns.Health;

/// <summary>
/// Checks one target once. A dead, slow or misconfigured edge is a failed <see cref="ProbeResult"/>,
/// never an exception; only the caller's own cancellation throws. <paramref name="timeout"/> is the
/// target's own (adaptive, see <see cref="LatencyEstimate"/>), at most its settings' Timeout.
/// </summary>
public interface IProbe
{
    Task<ProbeResult> ProbeAsync(ProbeTarget target, TimeSpan timeout, CancellationToken ct);
}
