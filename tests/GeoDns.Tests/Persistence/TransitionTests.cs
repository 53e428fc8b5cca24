using GeoDns.Health;

namespace GeoDns.Tests.Persistence;

public sealed class TransitionTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly StoreDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static HealthTransition Transition(int second, string target = "tcp://192.0.2.1:443", HealthState to = HealthState.Down) =>
        new(target, HealthState.Up, to, $"probe {second}", TimeSpan.FromMilliseconds(12.3456), Start.AddSeconds(second));

    [Fact]
    public void Transitions_RoundTripExactly_AndSurviveReopen()
    {
        var store = _dir.Open();
        var withLatency = Transition(1) with { At = new DateTimeOffset(2030, 1, 1, 14, 0, 0, 123, TimeSpan.FromHours(2)).AddTicks(4567) };
        var timeout = Transition(2) with { Latency = null, Reason = "timeout" };
        store.AddTransition(withLatency);
        store.AddTransition(timeout);

        Assert.Equal([timeout, withLatency], _dir.Reopen(store).Transitions());
    }

    [Fact]
    public void Transitions_NewestFirst_ByTimeThenInsertion()
    {
        var store = _dir.Open();
        store.AddTransition(Transition(5));
        store.AddTransition(Transition(1));
        store.AddTransition(Transition(5) with { Reason = "same instant, added later" });

        var reasons = store.Transitions().Select(t => t.Reason);

        Assert.Equal(["same instant, added later", "probe 5", "probe 1"], reasons);
    }

    [Fact]
    public void Transitions_Page()
    {
        var store = _dir.Open();
        for (var i = 0; i < 10; i++) store.AddTransition(Transition(i));

        Assert.Equal(["probe 6", "probe 5", "probe 4"], store.Transitions(skip: 3, take: 3).Select(t => t.Reason));
        Assert.Equal(["probe 0"], store.Transitions(skip: 9, take: 3).Select(t => t.Reason));
        Assert.Empty(store.Transitions(skip: 10));
        Assert.Empty(store.Transitions(take: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Transitions(skip: -1));
    }

    [Fact]
    public void Transitions_FilterByTarget()
    {
        var store = _dir.Open();
        for (var i = 0; i < 6; i++) store.AddTransition(Transition(i, target: i % 2 == 0 ? "tcp://192.0.2.1:443" : "tcp://[2001:db8::1]:443"));

        var v6 = store.Transitions(take: 2, target: "tcp://[2001:db8::1]:443");

        Assert.Equal(["probe 5", "probe 3"], v6.Select(t => t.Reason));
        Assert.Empty(store.Transitions(target: "tcp://198.51.100.1:443"));
    }

    [Fact]
    public void Retention_TrimsTheOldestToTheBound()
    {
        var store = _dir.Open(retention: 20);
        for (var i = 0; i < 75; i++) store.AddTransition(Transition(i));

        var kept = store.Transitions(take: 1000);

        Assert.Equal(Enumerable.Range(55, 20).Reverse().Select(i => $"probe {i}"), kept.Select(t => t.Reason));
    }

    [Fact]
    public void Retention_LowerOnReopen_TrimsAtOnce()
    {
        var store = _dir.Open();
        for (var i = 0; i < 30; i++) store.AddTransition(Transition(i));

        store = _dir.Reopen(store, retention: 5);

        Assert.Equal(["probe 29", "probe 28", "probe 27", "probe 26", "probe 25"], store.Transitions().Select(t => t.Reason));
        store.AddTransition(Transition(30));
        Assert.Equal(5, store.Transitions().Count); // ids go on after the reopen, no clash
    }
}
