using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using GeoDns.Health;
using GeoDns.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Tests.Health;

/// <summary>
/// The monitor's rules for confirming a failure and for its own outage, on the fake clock with
/// scripted edges and the default probe settings (5 s interval, 2 s timeout, 300 ms floor, 8
/// confirming probes). The clock moves only when a test moves it, so each figure is exact.
/// </summary>
public sealed class ConfirmationTests : IAsyncDisposable
{
    private static readonly ProbeSettings Settings = new();
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.1"), B = IPAddress.Parse("192.0.2.2"), C = IPAddress.Parse("192.0.2.3");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingLogger<HealthMonitor> _log = new();
    private readonly ConcurrentQueue<HealthTransition> _transitions = new();
    private readonly ScriptedEdges _edges;
    private readonly FakeProbe _probe;
    private readonly HealthMonitor _monitor;

    public ConfirmationTests()
    {
        _edges = new ScriptedEdges(_time);
        _probe = new FakeProbe(_edges.ProbeAsync);
        _monitor = new HealthMonitor(_time, _log, probes: _ => _probe);
        _monitor.Transitioned += _transitions.Enqueue;
    }

    public ValueTask DisposeAsync() => _monitor.DisposeAsync();

    [Fact]
    public async Task AnsweredOnce_TimeoutAdaptsToTheFloor_CapBeforeThat()
    {
        await Start(A);
        await NextInterval(1 + 1);

        Assert.Equal([Settings.Timeout, Settings.TimeoutFloor], _edges.Probes.Select(p => p.Timeout));
    }

    [Fact]
    public async Task Killed_ConfirmedAtOnce_DownOnTheSameTick()
    {
        await Start(A);
        _edges.Set(A, EdgeAnswer.Refusing);
        var before = _time.GetUtcNow();

        await NextInterval(1 + 1 + 8);
        await Eventually.True(() => State(A) == HealthState.Down, "the edge is Down");

        Assert.Equal([HealthState.Up, HealthState.Suspect, HealthState.Down], _transitions.Select(t => t.To));
        Assert.True(_monitor.Current.Targets[A.Target()].Since - before <= Settings.Interval, "no second interval, no re-probe delay");
    }

    [Fact]
    public async Task BlackHoled_SuspectAfterOneFloorTimeout_DownAfterAnother()
    {
        await Start(A);
        _edges.Set(A, EdgeAnswer.Silent);
        await NextInterval(1 + 1);
        var probed = _time.GetUtcNow();

        _time.Advance(Settings.TimeoutFloor);
        await Eventually.True(() => _edges.ProbesOf(A) == 1 + 1 + 8, "eight confirming probes go out at once");
        Assert.Equal(HealthState.Suspect, State(A));
        _time.Advance(Settings.TimeoutFloor);
        await Eventually.True(() => State(A) == HealthState.Down, "the edge is Down");

        Assert.Equal(probed + 2 * Settings.TimeoutFloor, _monitor.Current.Targets[A.Target()].Since);
        Assert.Equal(8, _probe.MostRunning);
        Assert.Empty(_monitor.Current.Isolated);
    }

    [Fact]
    public async Task OneLostProbe_AndSevenLostConfirmers_OneAnswers_StaysAnswered()
    {
        await Start(A);
        _edges.Sequence(A, [EdgeAnswer.Silent, .. Enumerable.Repeat(EdgeAnswer.Silent, 7), EdgeAnswer.Answering]);
        await NextInterval(1 + 1);

        _time.Advance(Settings.TimeoutFloor);
        await Eventually.True(() => State(A) == HealthState.Up && _transitions.Count == 3, "the answering confirmer brings it back Up");

        Assert.Equal([HealthState.Up, HealthState.Suspect, HealthState.Up], _transitions.Select(t => t.To));
        Assert.Equal(TimeSpan.Zero, _monitor.Current.Targets[A.Target()].Since - _time.GetUtcNow());
    }

    [Fact]
    public async Task OneEdgeBlackHoled_WitnessesAnswer_ItGoesDown_OthersStayUp()
    {
        await Start(A, B, C);
        _edges.Set(A, EdgeAnswer.Silent);
        await NextInterval(3 + 3);

        _time.Advance(Settings.TimeoutFloor);
        await Eventually.True(() => _edges.ProbesOf(A) == 1 + 1 + 8, "A is confirmed");
        _time.Advance(Settings.TimeoutFloor);
        await Eventually.True(() => State(A) == HealthState.Down, "A is Down");

        Assert.Equal((HealthState.Up, HealthState.Up), (State(B), State(C)));
        Assert.InRange(_edges.ProbesOf(B) + _edges.ProbesOf(C), 4, 4 + 3); // two probes each, and up to three witness probes
        Assert.Empty(_monitor.Current.Isolated);
    }

    [Fact]
    public async Task EveryEdgeSilentAtOnce_NameserverIsolated_NoneGoesDown_NoneFlapsWhenTheNetworkReturns()
    {
        await Start(A, B, C);
        foreach (var edge in new[] { A, B, C }) _edges.Set(edge, EdgeAnswer.Silent);
        await NextInterval(3 + 3);

        _time.Advance(Settings.TimeoutFloor); // the scheduled probes time out: Suspect, confirmers and witnesses go out
        await Eventually.True(() => new[] { A, B, C }.All(e => State(e) == HealthState.Suspect), "every edge is Suspect");
        _time.Advance(Settings.TimeoutFloor); // every confirmer and witness times out
        await Eventually.True(() => _monitor.Current.Isolated.ContainsKey(AddressFamily.InterNetwork), "the nameserver knows it is isolated");
        await Run(TimeSpan.FromSeconds(10)); // ten seconds of outage: held probes keep failing
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("own network looks down"));
        Assert.All(new[] { A, B, C }, e => Assert.Equal(HealthState.Suspect, State(e)));

        foreach (var edge in new[] { A, B, C }) _edges.Set(edge, EdgeAnswer.Answering);
        await Run(Settings.TimeoutFloor + Settings.ReprobeInterval, until: () => new[] { A, B, C }.All(e => State(e) == HealthState.Up));
        Assert.All(new[] { A, B, C }, e => Assert.Equal(HealthState.Up, State(e)));

        Assert.DoesNotContain(_transitions, t => t.To == HealthState.Down);
        Assert.Empty(_monitor.Current.Isolated);
        Assert.Contains(_log.Entries, e => e.Message.Contains("get replies again"));
    }

    [Fact]
    public async Task ProbeBegunWhileIsolated_TimingOutAfterTheNetworkReturned_StillHeld()
    {
        await Start(A, B, C);
        foreach (var edge in new[] { A, B, C }) _edges.Set(edge, EdgeAnswer.Silent);
        await NextInterval(3 + 3);
        _time.Advance(Settings.TimeoutFloor);
        await Eventually.True(() => new[] { A, B, C }.All(e => State(e) == HealthState.Suspect), "every edge is Suspect");
        _time.Advance(Settings.TimeoutFloor);
        await Eventually.True(() => _monitor.Current.Isolated.Count == 1, "isolated");

        // The network returns while the held re-probes are out: B's reply, 100 ms in, ends the isolation; A's goes on.
        _edges.Set(B, EdgeAnswer.Late);
        var sent = (_edges.ProbesOf(A), _edges.ProbesOf(B));
        _time.Advance(Settings.ReprobeInterval);
        await Eventually.True(() => _edges.ProbesOf(A) == sent.Item1 + 1 && _edges.ProbesOf(B) == sent.Item2 + 1, "the held re-probes go out, one each");
        _time.Advance(ScriptedEdges.LateBy);
        await Eventually.True(() => _monitor.Current.Isolated.Count == 0, "B's reply ends the isolation");
        _time.Advance(Settings.TimeoutFloor - ScriptedEdges.LateBy);
        var timedOut = _time.GetUtcNow();
        await Eventually.True(() => _monitor.Current.Targets[A.Target()].LastProbe!.At == timedOut, "A's probe times out");

        // It timed out in the outage: held, not Down (a flap on the network's return). A's next probe settles it.
        Assert.Equal(HealthState.Suspect, State(A));
        Assert.DoesNotContain(_transitions, t => t.Target == A.Target().ToString() && t.To == HealthState.Down);
    }

    [Fact]
    public async Task EveryEdgeRefusingAtOnce_NotIsolation_AllGoDown()
    {
        await Start(A, B, C);
        foreach (var edge in new[] { A, B, C }) _edges.Set(edge, EdgeAnswer.Refusing);
        await NextInterval(3 + 3);

        await Eventually.True(() => new[] { A, B, C }.All(e => State(e) == HealthState.Down), "a refusal is a reply: every edge is Down");
        Assert.Empty(_monitor.Current.Isolated);
    }

    [Fact]
    public async Task WhileIsolated_AnEdgeThatRefuses_EndsIt_AndGoesDown()
    {
        await Start(A, B);
        _edges.Set(A, EdgeAnswer.Silent);
        _edges.Set(B, EdgeAnswer.Silent);
        await NextInterval(2 + 2);
        _time.Advance(Settings.TimeoutFloor);
        _time.Advance(Settings.TimeoutFloor);
        await Eventually.True(() => _monitor.Current.Isolated.Count == 1, "isolated");

        _edges.Set(A, EdgeAnswer.Refusing);
        _time.Advance(Settings.ReprobeInterval);
        await Eventually.True(() => State(A) == HealthState.Down, "the refusing edge is Down");

        Assert.Empty(_monitor.Current.Isolated);
        Assert.Equal(HealthState.Suspect, State(B));
    }

    private async Task Start(params IPAddress[] edges)
    {
        _monitor.SetTargets(edges.Select(e => e.Target()));
        await _monitor.WaitForFirstRoundAsync(CancellationToken.None).WaitAsync(Eventually.Bound);
        Assert.All(edges, e => Assert.Equal(HealthState.Up, State(e)));
    }

    /// <summary>Moves the clock one interval (every Up edge's next probe is due) and waits until <paramref name="probes"/> probes have been sent in all.</summary>
    private async Task NextInterval(int probes)
    {
        _time.Advance(Settings.Interval);
        await Eventually.True(() => _edges.Probes.Count >= probes, $"{probes} probes are sent");
    }

    /// <summary>
    /// Moves the clock <paramref name="span"/> in 100 ms steps (or until <paramref name="until"/>),
    /// letting the probes each step makes due start before the next: probes start on the thread
    /// pool, and one that starts late only moves one step later.
    /// </summary>
    private async Task Run(TimeSpan span, Func<bool>? until = null)
    {
        var step = TimeSpan.FromMilliseconds(100);
        for (var moved = TimeSpan.Zero; moved < span && until?.Invoke() != true; moved += step)
        {
            _time.Advance(step);
            await Task.Delay(10);
        }
    }

    private HealthState State(IPAddress edge) => _monitor.Current.StateOf(edge.Target());
}

internal static class ScriptedAddress
{
    public static ProbeTarget Target(this IPAddress address) => new(address, new ProbeSettings());
}
