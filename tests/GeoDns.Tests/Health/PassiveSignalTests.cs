using System.Collections.Concurrent;
using System.Net;
using GeoDns.Health;
using GeoDns.Testing;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Tests.Health;

/// <summary>Passive "cannot serve" signals (the sidecar's tunnel down) on top of the probes, on the fake clock.</summary>
public sealed class PassiveSignalTests : IAsyncDisposable
{
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.1");
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<HealthTransition> _transitions = new();
    private readonly ScriptedEdges _edges;
    private readonly HealthMonitor _monitor;

    public PassiveSignalTests()
    {
        _edges = new ScriptedEdges(_time);
        var probe = new FakeProbe(_edges.ProbeAsync);
        _monitor = new HealthMonitor(_time, probes: _ => probe);
        _monitor.Transitioned += _transitions.Enqueue;
    }

    public ValueTask DisposeAsync() => _monitor.DisposeAsync();

    [Fact]
    public async Task TunnelDown_CountsAsDown_UntilItExpires_ProbedStateUnderneath()
    {
        await Start();

        Assert.Equal(1, _monitor.SetPassive(A, "tunnel down: latest handshake 190 s ago", Hold));

        Assert.Equal(HealthState.Down, _monitor.Current.StateOf(A.Target()));
        Assert.Equal(HealthState.Up, _monitor.Current.Targets[A.Target()].State);
        _time.Advance(Hold);
        await Eventually.True(() => _monitor.Current.StateOf(A.Target()) == HealthState.Up, "the signal expires");
        Assert.Equal([("Up", "Down", "passive: tunnel down: latest handshake 190 s ago"), ("Down", "Up", "passive signal expired")],
            _transitions.Skip(1).Select(t => (t.From.ToString(), t.To.ToString(), t.Reason)));
    }

    [Fact]
    public async Task Renewed_StaysDown_Cleared_UpAtOnce()
    {
        await Start();
        _monitor.SetPassive(A, "tunnel down", Hold);

        _time.Advance(Hold / 2);
        _monitor.SetPassive(A, "tunnel down", Hold);
        _time.Advance(Hold / 2 + TimeSpan.FromSeconds(1));
        Assert.Equal(HealthState.Down, _monitor.Current.StateOf(A.Target()));

        _monitor.SetPassive(A, null, TimeSpan.Zero);
        Assert.Equal(HealthState.Up, _monitor.Current.StateOf(A.Target()));
        Assert.Equal("passive signal cleared", _transitions.Last().Reason);
    }

    [Fact]
    public async Task ClearedWhileProbesSayDown_StaysDown_NoTransition()
    {
        await Start();
        _monitor.SetPassive(A, "tunnel down", Hold);
        _edges.Set(A, EdgeAnswer.Refusing);
        _time.Advance(new ProbeSettings().Interval);
        await Eventually.True(() => _monitor.Current.Targets[A.Target()].State == HealthState.Down, "the probes find it Down too");
        var count = _transitions.Count;

        _monitor.SetPassive(A, null, TimeSpan.Zero);

        Assert.Equal(HealthState.Down, _monitor.Current.StateOf(A.Target()));
        Assert.Equal(count, _transitions.Count);
    }

    [Fact]
    public void UnknownAddress_TouchesNothing() => Assert.Equal(0, _monitor.SetPassive(IPAddress.Parse("192.0.2.99"), "tunnel down", Hold));

    private async Task Start()
    {
        _monitor.SetTargets([A.Target()]);
        await _monitor.WaitForFirstRoundAsync(CancellationToken.None).WaitAsync(Eventually.Bound);
    }
}
