using GeoDns.Testing;
using System.Collections.Concurrent;
using System.Net;
using GeoDns.Health;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Tests.Health;

/// <summary>
/// The monitor on a fake clock against real loopback listeners: the test moves time, the sockets
/// answer for real, and <see cref="Eventually"/> waits (in real time) for each probe to land.
/// </summary>
public sealed class HealthMonitorTests : IAsyncDisposable
{
    private static readonly ProbeSettings Settings = new()
    {
        Interval = TimeSpan.FromSeconds(5),
        Timeout = TimeSpan.FromSeconds(2),
        ReprobeInterval = TimeSpan.FromSeconds(1),
        FailuresToDown = 2,
        SuccessesToUp = 2,
        HoldConnection = false, // these count probes by the connections the edge accepts; HeldConnectionTests hold them
    };
    /// <summary>The interval plus its largest jitter: exactly one scheduled probe happens in this time.</summary>
    private static readonly TimeSpan OneInterval = TimeSpan.FromSeconds(5.5);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingLogger<HealthMonitor> _log = new();
    private readonly List<LoopbackEdge> _edges = [];
    private readonly ConcurrentQueue<HealthTransition> _transitions = new();
    private readonly List<HealthMonitor> _monitors = [];
    private int _changes;
    private HealthMonitor _monitor;

    public HealthMonitorTests() => _monitor = Monitor();

    public async ValueTask DisposeAsync()
    {
        foreach (var monitor in _monitors) await monitor.DisposeAsync();
        foreach (var edge in _edges) edge.Dispose();
    }

    [Fact]
    public async Task EdgeStopsAndComesBack_UpSuspectDownUp_InOrder()
    {
        var edge = Edge();
        var target = edge.Target(Settings);
        _monitor.SetTargets([target]);
        Assert.Equal(HealthState.Up, (await Probed(target)).State);

        edge.Stop();
        // The first refusal makes it Suspect; the confirming probes go out at once, on the same tick of the clock.
        _time.Advance(OneInterval);
        await Eventually.True(() => _monitor.Current.StateOf(target) == HealthState.Down, "the edge is Down without the clock moving again");
        var down = _monitor.Current.Targets[target];
        Assert.Equal((2, "all 8 confirming probes failed: connection refused"), (down.ConsecutiveFailures, down.LastProbe!.Error));

        edge.Restart();
        var once = await After(OneInterval, target);
        Assert.Equal((HealthState.Down, 1), (once.State, once.ConsecutiveSuccesses));
        Assert.Equal(HealthState.Up, (await After(OneInterval, target)).State);

        await Eventually.True(() => _transitions.Count == 4, "four transitions are raised");
        Assert.Equal(
            [(HealthState.Unknown, HealthState.Up, "probe succeeded"), (HealthState.Up, HealthState.Suspect, "connection refused"),
             (HealthState.Suspect, HealthState.Down, "2 consecutive failures: all 8 confirming probes failed: connection refused"), (HealthState.Down, HealthState.Up, "2 consecutive successes")],
            _transitions.Select(t => (t.From, t.To, t.Reason)));
        Assert.All(_transitions, t => Assert.Equal(target.ToString(), t.Target));
        await Eventually.True(() => _changes == 5, "Changed is raised for the new target and each transition");
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Suspect -> Down (2 consecutive failures: all 8 confirming probes failed: connection refused)"));
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("Down -> Up"));
    }

    [Fact]
    public async Task WaitForFirstRound_CompletesOnceEveryTargetHasAResult()
    {
        var (up, down) = (Edge(), Edge());
        down.Stop();
        _monitor.SetTargets([up.Target(Settings), down.Target(Settings)]);

        await _monitor.WaitForFirstRoundAsync(CancellationToken.None).WaitAsync(Eventually.Bound);

        Assert.Equal(HealthState.Up, _monitor.Current.StateOf(up.Target(Settings)));
        Assert.Equal(HealthState.Down, _monitor.Current.StateOf(down.Target(Settings)));
    }

    [Fact]
    public async Task WaitForFirstRound_HungProbe_GivesUpAfterTheFirstRoundsLongestTimeAndAMargin()
    {
        var hung = new FakeProbe(async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); throw new InvalidOperationException(); });
        _monitor = Monitor(probe: hung);
        var target = new ProbeTarget(IPAddress.Parse("192.0.2.1"), Settings);
        _monitor.SetTargets([target]);

        var waiting = _monitor.WaitForFirstRoundAsync(CancellationToken.None);
        // The first round's longest time: the probe and its confirming round, 2 s each, plus a 2 s margin.
        _time.Advance(Settings.Timeout * Settings.FailuresToDown + TimeSpan.FromSeconds(1.9));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        await waiting.WaitAsync(Eventually.Bound);

        Assert.Equal(HealthState.Unknown, _monitor.Current.StateOf(target));
    }

    [Fact]
    public async Task SetTargets_Reconciles_KeptKeepState_RemovedLeave_NewProbedAtOnce()
    {
        var (kept, removed, added) = (Edge(), Edge(), Edge());
        kept.Stop();
        _monitor.SetTargets([kept.Target(Settings), removed.Target(Settings)]);
        await Probed(kept.Target(Settings));
        // Its first failure is confirmed at once (8 probes of a refusing edge): the state to keep is the one after that.
        await Eventually.True(() => _monitor.Current.StateOf(kept.Target(Settings)) == HealthState.Down, "the stopped edge confirmed Down");
        var keptBefore = _monitor.Current.Targets[kept.Target(Settings)];
        await Probed(removed.Target(Settings));
        await Eventually.True(() => removed.Accepted == 1, "the removed edge sees its first probe");

        _monitor.SetTargets([kept.Target(Settings), added.Target(Settings)]);

        Assert.Equal([kept.Target(Settings), added.Target(Settings)], _monitor.Current.Targets.Keys.OrderBy(t => t.Settings.Port == kept.Port ? 0 : 1));
        Assert.Equal(keptBefore, _monitor.Current.Targets[kept.Target(Settings)]);
        Assert.Equal(HealthState.Up, (await Probed(added.Target(Settings))).State);
        await After(OneInterval, kept.Target(Settings));
        await Eventually.True(() => added.Accepted == 2, "the new edge is probed on schedule");
        Assert.Equal(1, removed.Accepted);
    }

    [Fact]
    public async Task ProbeSettingsRetuned_StateKept_NotBackToUnknown()
    {
        var edge = Edge();
        var target = edge.Target(Settings);
        _monitor.SetTargets([target]);
        Assert.Equal(HealthState.Up, (await Probed(target)).State);

        var retuned = edge.Target(Settings with { Interval = TimeSpan.FromSeconds(3), Timeout = TimeSpan.FromSeconds(1) });
        _monitor.SetTargets([retuned]);

        Assert.Equal(HealthState.Up, _monitor.Current.StateOf(retuned));
    }

    [Fact]
    public async Task EqualTargets_AreProbedOnce()
    {
        var edge = Edge();
        _monitor.SetTargets([edge.Target(Settings), edge.Target(Settings with { })]);
        await Probed(edge.Target(Settings));
        await Eventually.True(() => edge.Accepted == 1, "the edge sees the first probe");

        await After(OneInterval, edge.Target(Settings));
        await Eventually.True(() => edge.Accepted == 2, "the edge sees the second probe");

        Assert.Single(_monitor.Current.Targets);
        Assert.Equal(2, edge.Accepted);
    }

    [Fact]
    public async Task ProbeNow_AppliesTheResultOutOfSchedule()
    {
        var edge = Edge();
        var target = edge.Target(Settings);
        _monitor.SetTargets([target]);
        await Probed(target);
        edge.Stop();

        var result = await _monitor.ProbeNowAsync(target);

        Assert.Equal("all 8 confirming probes failed: connection refused", result?.Error);
        Assert.Equal(HealthState.Down, _monitor.Current.StateOf(target));
        Assert.Null(await _monitor.ProbeNowAsync(new ProbeTarget(IPAddress.Loopback, Settings with { Port = 9 })));
    }

    [Fact]
    public async Task ProbeNow_WhileAProbeRuns_NeverTwoAtOnceOnOneTarget()
    {
        var release = new TaskCompletionSource();
        var probe = new FakeProbe(async (_, _) => { await release.Task; return new ProbeResult(true, TimeSpan.Zero, _time.GetUtcNow()); });
        _monitor = Monitor(probe: probe);
        var target = new ProbeTarget(IPAddress.Parse("192.0.2.1"), Settings);
        _monitor.SetTargets([target]);
        await Eventually.True(() => probe.Calls == 1, "the first probe starts");

        var now = (_monitor.ProbeNowAsync(target), _monitor.ProbeNowAsync(target));
        release.SetResult();
        await Task.WhenAll(now.Item1, now.Item2).WaitAsync(Eventually.Bound);

        Assert.Equal((3, 1), (probe.Calls, probe.MostRunning));
    }

    [Fact]
    public async Task Probes_RunInParallel_BoundedByMaxConcurrentProbes()
    {
        var release = new TaskCompletionSource();
        var probe = new FakeProbe(async (_, _) => { await release.Task; return new ProbeResult(true, TimeSpan.Zero, _time.GetUtcNow()); });
        _monitor = Monitor(probe: probe, maxConcurrentProbes: 2);
        var targets = Enumerable.Range(1, 6).Select(i => new ProbeTarget(IPAddress.Parse($"192.0.2.{i}"), Settings)).ToList();
        _monitor.SetTargets(targets);
        await Eventually.True(() => probe.Calls == 2, "two probes start");

        release.SetResult();
        await _monitor.WaitForFirstRoundAsync(CancellationToken.None).WaitAsync(Eventually.Bound);

        Assert.Equal((6, 2), (probe.Calls, probe.MostRunning));
        Assert.All(targets, t => Assert.Equal(HealthState.Up, _monitor.Current.StateOf(t)));
    }

    [Fact]
    public async Task ThrowingProbe_CountsAsAFailure_AndIsLogged()
    {
        _monitor = Monitor(probe: new FakeProbe((_, _) => throw new InvalidOperationException("bug")));
        var target = new ProbeTarget(IPAddress.Parse("192.0.2.1"), Settings);
        _monitor.SetTargets([target]);

        await Eventually.True(() => _monitor.Current.StateOf(target) == HealthState.Down, "the target is Down");
        var status = _monitor.Current.Targets[target];

        Assert.Equal((HealthState.Down, "all 8 confirming probes failed: probe error: InvalidOperationException: bug"), (status.State, status.LastProbe!.Error));
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("threw"));
    }

    [Fact]
    public async Task ProbeWithoutStateChange_DoesNotRaiseChanged()
    {
        var edge = Edge();
        var target = edge.Target(Settings);
        _monitor.SetTargets([target]);
        await Probed(target);
        await Eventually.True(() => _changes == 2, "Changed is raised for the new target and its first state");

        var again = await After(OneInterval, target);

        Assert.Equal((HealthState.Up, 2), (again.State, again.ConsecutiveSuccesses));
        Assert.Equal(2, _changes);
    }

    [Fact]
    public void NextDelay_JittersTheIntervalDownByTenPercent_SettlingStatesUseReprobeInterval()
    {
        static TargetStatus Status(HealthState state, int successes = 0) => new(state, DateTimeOffset.UnixEpoch, null, 0, successes);
        var delays = Enumerable.Range(0, 1000).Select(_ => HealthMonitor.NextDelay(Status(HealthState.Up), Settings)).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(5)));
        Assert.True(delays.Distinct().Count() > 1);
        Assert.Equal(Settings.ReprobeInterval, HealthMonitor.NextDelay(Status(HealthState.Suspect), Settings));
        Assert.Equal(Settings.ReprobeInterval, HealthMonitor.NextDelay(Status(HealthState.Down, successes: 1), Settings));
        Assert.InRange(HealthMonitor.NextDelay(Status(HealthState.Down), Settings), TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(5));
    }

    private HealthMonitor Monitor(IProbe? probe = null, int maxConcurrentProbes = 64)
    {
        var monitor = new HealthMonitor(_time, _log, maxConcurrentProbes, probe is null ? null : _ => probe);
        monitor.Transitioned += _transitions.Enqueue;
        monitor.Changed += _ => Interlocked.Increment(ref _changes);
        _monitors.Add(monitor);
        return monitor;
    }

    private LoopbackEdge Edge()
    {
        var edge = new LoopbackEdge();
        _edges.Add(edge);
        return edge;
    }

    /// <summary>Moves the fake clock, then waits for the probe that this makes due.</summary>
    private async Task<TargetStatus> After(TimeSpan advance, ProbeTarget target)
    {
        var before = _monitor.Current.Targets[target].LastProbe!.At;
        _time.Advance(advance);
        return await Probed(target, before);
    }

    private async Task<TargetStatus> Probed(ProbeTarget target, DateTimeOffset? after = null)
    {
        await Eventually.True(() => _monitor.Current.Targets.TryGetValue(target, out var s) && s.LastProbe is { } last && (after is null || last.At > after),
            $"{target} is probed");
        return _monitor.Current.Targets[target];
    }
}
