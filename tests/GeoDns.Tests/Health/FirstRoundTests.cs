using System.Net;
using GeoDns.Health;
using GeoDns.Testing;

namespace GeoDns.Tests.Health;

/// <summary>
/// The first round, which decides what the server's first answers hold: a first failure is confirmed as a
/// later one is (all <see cref="ProbeSettings.ConfirmProbes"/> at once), so one lost SYN at start-up does not
/// leave a healthy edge out of the answers, and the first round waits for that confirmation.
/// Default settings: 2 s timeout (no edge has answered yet, so no adaptive one), 8 confirming probes.
/// </summary>
public sealed class FirstRoundTests : ScriptedMonitorTests
{
    private static readonly ProbeSettings Settings = new();
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.1"), B = IPAddress.Parse("192.0.2.2");

    [Fact]
    public async Task FirstProbeLost_ConfirmedAtOnce_UpWhenTheFirstRoundEnds()
    {
        Edges.Sequence(A, EdgeAnswer.Silent, EdgeAnswer.Answering);
        Monitor.SetTargets([A.Target(), B.Target()]);
        var firstRound = Monitor.WaitForFirstRoundAsync(CancellationToken.None);
        await Eventually.True(() => Edges.ProbesOf(A) == 1, "the first probe is sent");

        Time.Advance(Settings.Timeout); // it hears nothing: a lost SYN, or a start-up too busy to see the reply in time
        await firstRound.WaitAsync(Eventually.Bound);

        Assert.Equal((HealthState.Up, HealthState.Up), (State(A), State(B)));
        Assert.Equal(1 + Settings.ConfirmProbes, Edges.ProbesOf(A));
        Assert.Equal([(HealthState.Unknown, HealthState.Up)], Transitions.Where(t => t.Target == A.Target().ToString()).Select(t => (t.From, t.To)));
    }

    [Fact]
    public async Task RefusedAtStart_EveryConfirmerRefused_Down_NeverAnswered()
    {
        Edges.Set(A, EdgeAnswer.Refusing);
        Monitor.SetTargets([A.Target()]);

        await Monitor.WaitForFirstRoundAsync(CancellationToken.None).WaitAsync(Eventually.Bound);

        Assert.Equal(HealthState.Down, State(A));
        var down = Assert.Single(Transitions);
        Assert.Equal((HealthState.Unknown, HealthState.Down, "2 consecutive failures: all 8 confirming probes failed: connection refused"), (down.From, down.To, down.Reason));
    }

    [Fact]
    public async Task SilentAtStart_StaysUnknownThroughItsConfirmation_FirstRoundWaitsForIt()
    {
        Edges.Set(A, EdgeAnswer.Silent);
        Monitor.SetTargets([A.Target()]);
        var firstRound = Monitor.WaitForFirstRoundAsync(CancellationToken.None);
        await Eventually.True(() => Edges.ProbesOf(A) == 1, "the first probe is sent");

        Time.Advance(Settings.Timeout);
        await Eventually.True(() => Edges.ProbesOf(A) == 1 + Settings.ConfirmProbes, "the confirming probes go out at once");
        Assert.Equal(HealthState.Unknown, State(A)); // not answered meanwhile: nobody is handed a dead edge at start-up
        Assert.False(firstRound.IsCompleted);

        Time.Advance(Settings.Timeout);
        await firstRound.WaitAsync(Eventually.Bound);
        Assert.Equal(HealthState.Down, State(A));
    }

    private HealthState State(IPAddress edge) => Monitor.Current.StateOf(edge.Target());
}
