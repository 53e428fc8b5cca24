using System.Collections.Concurrent;

namespace GeoDns.Diagnostics;

/// <summary>Probes per target and outcome, and each target's latest latency. Probes are seconds apart, so a dictionary is fine.</summary>
public sealed class ProbeMetrics
{
    private readonly ConcurrentDictionary<string, ProbeCounts> _targets = new();

    public void Record(string target, bool success, TimeSpan latency)
    {
        var counts = _targets.GetOrAdd(target, _ => new ProbeCounts());
        if (success) Interlocked.Increment(ref counts.Successes);
        else Interlocked.Increment(ref counts.Failures);
        Interlocked.Exchange(ref counts.LastLatencySeconds, latency.TotalSeconds);
    }

    /// <summary>Every target ever probed, ordered by name.</summary>
    public IReadOnlyList<(string Target, long Successes, long Failures, double LastLatencySeconds)> Snapshot() =>
        _targets.OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => (t.Key, Interlocked.Read(ref t.Value.Successes), Interlocked.Read(ref t.Value.Failures), Volatile.Read(ref t.Value.LastLatencySeconds)))
            .ToList();

    private sealed class ProbeCounts
    {
        public long Successes;
        public long Failures;
        public double LastLatencySeconds;
    }
}
