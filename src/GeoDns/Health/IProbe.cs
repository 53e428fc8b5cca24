namespace GeoDns.Health;

/// <summary>
/// Checks one target once. A dead, slow or misconfigured edge is a failed <see cref="ProbeResult"/>,
/// never an exception; only the caller's own cancellation throws.
/// </summary>
public interface IProbe
{
    Task<ProbeResult> ProbeAsync(ProbeTarget target, CancellationToken ct);
}
