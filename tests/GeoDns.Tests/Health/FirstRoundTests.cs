using System.Collections.Concurrent;
using System.Net;
using GeoDns.Health;
using GeoDns.Testing;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Tests.Health;

/// <summary>
/// The first round, which decides what the server's first answers hold: a first failure is confirmed as a
/// later one is (all <see cref="ProbeSettings.ConfirmProbes"/> at once), so one lost SYN at start-up does not
/// leave a healthy edge out of the answers, and the first round waits for that confirmation.
/// Default settings: 2 s timeout (no edge has answered yet, so no adaptive one), 8 confirming probes.
/// </summary>
public sealed class FirstRoundTests : IAsyncDisposable
{
    private static readonly ProbeSettings Settings = new();
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.1"), B = IPAddress.Parse("192.0.2.2");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<HealthTransition> _transitions = new();
    private readonly ScriptedEdges _edges;
    private readonly HealthMonitor _monitor;

    public FirstRoundTests()
    {
        _edges = new ScriptedEdges(_time);
        var probe = new FakeProbe(_edges.ProbeAsync);
        _monitor = new HealthMonitor(_time, probes: _ => probe);
        _monitor.Transitioned += _transitions.Enqueue;
    }

    public ValueTask DisposeAsync() => _monitor.DisposeAsync();

    [Fact]
    public async Task FirstProbeLost_ConfirmedAtOnce_UpWhenTheFirstRoundEnds()
    {
        _edges.Sequence(A, EdgeAnswer.Silent, EdgeAnswer.Answering);
        _monitor.SetTargets([A.Target(), B.Target()]);
        var firstRound = _monitor.WaitForFirstRoundAsync(CancellationToken.None);
        await Eventually.True(() => _edges.ProbesOf(A) == 1, "the first probe is sent");

        _time.Advance(Settings.Timeout); // it hears nothing: a lost SYN, or a start-up too busy to see the reply in time
        await firstRound.WaitAsync(Eventually.Bound);

        Assert.Equal((HealthState.Up, HealthState.Up), (State(A), State(B)));
        Assert.Equal(1 + Settings.ConfirmProbes, _edges.ProbesOf(A));
        Assert.Equal([(HealthState.Unknown, HealthState.Up)], _transitions.Where(t => t.Target == A.Target().ToString()).Select(t => (t.From, t.To)));
    }

    [Fact]
    public async Task RefusedAtStart_EveryConfirmerRefused_Down_NeverAnswered()
    {
        _edges.Set(A, EdgeAnswer.Refusing);
        _monitor.SetTargets([A.Target()]);

        await _monitor.WaitForFirstRoundAsync(CancellationToken.None).WaitAsync(Eventually.Bound);

        Assert.Equal(HealthState.Down, State(A));
        var down = Assert.Single(_transitions);
        Assert.Equal((HealthState.Unknown, HealthState.Down, "2 consecutive failures: all 8 confirming probes failed: connection refused"), (down.From, down.To, down.Reason));
    }

    [Fact]
    public async Task SilentAtStart_StaysUnknownThroughItsConfirmation_FirstRoundWaitsForIt()
    {
        _edges.Set(A, EdgeAnswer.Silent);
        _monitor.SetTargets([A.Target()]);
        var firstRound = _monitor.WaitForFirstRoundAsync(CancellationToken.None);
        await Eventually.True(() => _edges.ProbesOf(A) == 1, "the first probe is sent");

        _time.Advance(Settings.Timeout);
        await Eventually.True(() => _edges.ProbesOf(A) == 1 + Settings.ConfirmProbes, "the confirming probes go out at once");
        Assert.Equal(HealthState.Unknown, State(A)); // not answered meanwhile: nobody is handed a dead edge at start-up
        Assert.False(firstRound.IsCompleted);

        _time.Advance(Settings.Timeout);
        await firstRound.WaitAsync(Eventually.Bound);
        Assert.Equal(HealthState.Down, State(A));
    }

    private HealthState State(IPAddress edge) => _monitor.Current.StateOf(edge.Target());
}
