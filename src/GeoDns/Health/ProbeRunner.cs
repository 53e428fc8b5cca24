using Microsoft.Extensions.Logging;

namespace GeoDns.Health;

/// <summary>
/// Runs probes for the monitor: at most <c>maxConcurrent</c> at once (a few hundred edges must not
/// open a few hundred sockets in the same millisecond), and a probe that throws, which is a bug,
/// is logged and counted as a failure: an edge is never Up on the strength of a crash.
/// </summary>
internal sealed class ProbeRunner(TimeProvider time, ILogger log, int maxConcurrent, Func<ProbeSettings, IProbe> probes)
{
    private readonly SemaphoreSlim _slots = new(maxConcurrent, maxConcurrent);

    /// <summary>Throws only if <paramref name="ct"/> is cancelled.</summary>
    public async Task<ProbeResult> RunAsync(ProbeTarget target, TimeSpan timeout, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        var started = time.GetTimestamp();
        try
        {
            return await probes(target.Settings).ProbeAsync(target, timeout, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogError(e, "Probe of {Target} threw; counted as a failure", target);
            return new ProbeResult(false, time.GetElapsedTime(started), time.GetUtcNow(), $"probe error: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Holds a connection to the target until it ends (<see cref="IProbe.HoldAsync"/>); throws only on <paramref name="ct"/>.</summary>
    public Task<HoldEnd> HoldAsync(ProbeTarget target, CancellationToken ct) => probes(target.Settings).HoldAsync(target, ct);
}
