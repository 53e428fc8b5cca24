using System.Collections.Concurrent;
using GeoDns.Health;
using GeoDns.Testing;

namespace GeoDns.Tests.Health;

/// <summary>
/// The connection held open to each edge between probes (<see cref="ProbeSettings.HoldConnection"/>), against real
/// loopback listeners on the real clock. The interval is a minute, so anything that happens within
/// <see cref="Eventually.Bound"/> happened because of the held connection, not the schedule.
/// </summary>
public sealed class HeldConnectionTests : IAsyncDisposable
{
    private static readonly ProbeSettings Settings = new() { Interval = TimeSpan.FromSeconds(60), Timeout = TimeSpan.FromSeconds(2) };

    private readonly ConcurrentQueue<HealthTransition> _transitions = new();
    private readonly HealthMonitor _monitor = new(TimeProvider.System);
    private readonly List<LoopbackEdge> _edges = [];

    public HeldConnectionTests() => _monitor.Transitioned += _transitions.Enqueue;

    public async ValueTask DisposeAsync()
    {
        await _monitor.DisposeAsync();
        foreach (var edge in _edges) edge.Dispose();
    }

    [Fact]
    public async Task EdgeProcessDies_ItsConnectionCloses_DownAtOnce_NotAtTheNextProbe()
    {
        var (edge, target) = await UpEdge(keepOpen: true);
        await Eventually.True(() => edge.Accepted >= 2, "the monitor holds a connection beside its probe");
        await Task.Delay(HeldConnection.MinimumHold + TimeSpan.FromMilliseconds(200)); // held long enough for its close to mean something

        edge.Stop(); // as a killed nginx: the listener goes, and the kernel closes every connection it had

        await Eventually.True(() => _monitor.Current.StateOf(target) == HealthState.Down, "the closed connection is probed at once: refused, confirmed, Down");
        Assert.Equal([(HealthState.Unknown, HealthState.Up), (HealthState.Up, HealthState.Suspect), (HealthState.Suspect, HealthState.Down)],
            _transitions.Select(t => (t.From, t.To)));
    }

    [Fact]
    public async Task EdgeDiesAgainAfterComingBack_SeenAtOnceAgain()
    {
        var (edge, target) = await UpEdge(keepOpen: true);
        for (var life = 1; life <= 3; life++)
        {
            await Eventually.True(() => edge.Open > 0, $"life {life}: a connection is held");
            await Task.Delay(HeldConnection.MinimumHold + TimeSpan.FromMilliseconds(200));
            edge.Stop();
            await Eventually.True(() => _monitor.Current.StateOf(target) == HealthState.Down, $"life {life}: Down, well before the next scheduled probe");
            edge.Restart();
            // Back Up by two probes on demand (the schedule is a minute away); the held connection comes back by itself.
            while (_monitor.Current.StateOf(target) != HealthState.Up) await _monitor.ProbeNowAsync(target);
        }
    }

    [Fact]
    public async Task EdgeThatHangsUpAtOnce_GivesNoSign_AndIsNotProbedInALoop()
    {
        var (edge, target) = await UpEdge(keepOpen: false);

        await Task.Delay(TimeSpan.FromSeconds(2));

        // The first probe and one attempt to hold a connection; the hang-up came too soon to count, so it waits a back-off.
        Assert.InRange(edge.Accepted, 1, 2);
        Assert.Single(_transitions);
        Assert.Equal(HealthState.Up, _monitor.Current.StateOf(target));
    }

    [Fact]
    public async Task HoldingOff_NoConnectionBesideTheProbes()
    {
        var (edge, _) = await UpEdge(keepOpen: true, Settings with { HoldConnection = false });

        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal(1, edge.Accepted);
    }

    /// <summary>A loopback edge, monitored alone, once its first probe has found it Up.</summary>
    private async Task<(LoopbackEdge Edge, ProbeTarget Target)> UpEdge(bool keepOpen, ProbeSettings? settings = null)
    {
        var edge = new LoopbackEdge(keepOpen);
        _edges.Add(edge);
        var target = edge.Target(settings ?? Settings);
        _monitor.SetTargets([target]);
        await Eventually.True(() => _monitor.Current.StateOf(target) == HealthState.Up, "the first probe finds it Up");
        return (edge, target);
    }
}
