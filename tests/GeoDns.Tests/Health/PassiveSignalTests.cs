using System.Net;
using GeoDns.Health;
using GeoDns.Testing;

namespace GeoDns.Tests.Health;

/// <summary>Passive "cannot serve" signals (the sidecar's tunnel down) on top of the probes, on the fake clock.</summary>
public sealed class PassiveSignalTests : ScriptedMonitorTests
{
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.1");
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TunnelDown_CountsAsDown_UntilItExpires_ProbedStateUnderneath()
    {
        await Start();

        Assert.Equal(1, Monitor.SetPassive(A, "tunnel down: latest handshake 190 s ago", Hold));

        Assert.Equal(HealthState.Down, Monitor.Current.StateOf(A.Target()));
        Assert.Equal(HealthState.Up, Monitor.Current.Targets[A.Target()].State);
        Time.Advance(Hold);
        await Eventually.True(() => Monitor.Current.StateOf(A.Target()) == HealthState.Up, "the signal expires");
        Assert.Equal([("Up", "Down", "passive: tunnel down: latest handshake 190 s ago"), ("Down", "Up", "passive signal expired")],
            Transitions.Skip(1).Select(t => (t.From.ToString(), t.To.ToString(), t.Reason)));
    }

    [Fact]
    public async Task Renewed_StaysDown_Cleared_UpAtOnce()
    {
        await Start();
        Monitor.SetPassive(A, "tunnel down", Hold);

        Time.Advance(Hold / 2);
        Monitor.SetPassive(A, "tunnel down", Hold);
        Time.Advance(Hold / 2 + TimeSpan.FromSeconds(1));
        Assert.Equal(HealthState.Down, Monitor.Current.StateOf(A.Target()));

        Monitor.SetPassive(A, null, TimeSpan.Zero);
        Assert.Equal(HealthState.Up, Monitor.Current.StateOf(A.Target()));
        Assert.Equal("passive signal cleared", Transitions.Last().Reason);
    }

    [Fact]
    public async Task ClearedWhileProbesSayDown_StaysDown_NoTransition()
    {
        await Start();
        Monitor.SetPassive(A, "tunnel down", Hold);
        Edges.Set(A, EdgeAnswer.Refusing);
        Time.Advance(new ProbeSettings().Interval);
        await Eventually.True(() => Monitor.Current.Targets[A.Target()].State == HealthState.Down, "the probes find it Down too");
        var count = Transitions.Count;

        Monitor.SetPassive(A, null, TimeSpan.Zero);

        Assert.Equal(HealthState.Down, Monitor.Current.StateOf(A.Target()));
        Assert.Equal(count, Transitions.Count);
    }

    [Fact]
    public void UnknownAddress_TouchesNothing() => Assert.Equal(0, Monitor.SetPassive(IPAddress.Parse("192.0.2.99"), "tunnel down", Hold));

    private async Task Start()
    {
        Monitor.SetTargets([A.Target()]);
        await Monitor.WaitForFirstRoundAsync(CancellationToken.None).WaitAsync(Eventually.Bound);
    }
}
