using GeoDns.Health;

namespace GeoDns.Tests.Persistence;

/// <summary>One store is shared by the prober, the pools and the admin API: writes from many threads must all land.</summary>
public sealed class ConcurrentUseTests : IDisposable
{
    private readonly StoreDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ParallelWrites_AllLand_AndTrimKeepsTheNewest()
    {
        var store = _dir.Open(retention: 150);
        var at = _dir.Time.GetUtcNow();

        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            store.AddTransition(new($"tcp://192.0.2.{i % 4}:443", HealthState.Up, HealthState.Down, $"probe {i}", null, at.AddSeconds(i)));
            if (i % 10 == 0) store.SetDrained($"edge-{i}", true);
        });

        Assert.Equal(20, store.Overrides().Count);
        var kept = _dir.Reopen(store, retention: 150).Transitions(take: 1000);
        Assert.Equal(Enumerable.Range(50, 150).Reverse().Select(i => $"probe {i}"), kept.Select(t => t.Reason));
    }
}
