using System.Collections.Concurrent;
using GeoDns.Health;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Tests.Health;

/// <summary>The set-up of the monitor's fake-clock tests: a health monitor probing scripted edges, its transitions recorded.</summary>
public abstract class ScriptedMonitorTests : IAsyncDisposable
{
    protected ScriptedMonitorTests()
    {
        Edges = new ScriptedEdges(Time);
        var probe = new FakeProbe(Edges.ProbeAsync);
        Monitor = new HealthMonitor(Time, probes: _ => probe);
        Monitor.Transitioned += Transitions.Enqueue;
    }

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    protected ConcurrentQueue<HealthTransition> Transitions { get; } = new();
    protected ScriptedEdges Edges { get; }
    protected HealthMonitor Monitor { get; }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Monitor.DisposeAsync();
    }
}
