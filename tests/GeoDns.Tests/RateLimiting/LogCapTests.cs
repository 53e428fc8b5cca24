using GeoDns.RateLimiting;

namespace GeoDns.Tests.RateLimiting;

public sealed class LogCapTests
{
    [Fact]
    public void OneLineASecond_TheNextTellsHowManyWereHeldBack()
    {
        var cap = new LogCap();

        Assert.True(cap.TryTake(1_000, out var first));
        var taken = Enumerable.Range(0, 50).Count(i => cap.TryTake(1_000 + i * 10, out _)); // within the second
        Assert.True(cap.TryTake(2_000, out var next));

        Assert.Equal(0, first);
        Assert.Equal(0, taken);
        Assert.Equal(50, next);
        Assert.False(cap.TryTake(2_500, out _));
    }

    [Fact]
    public void ManyThreadsAtOnce_OneLineEachSecond()
    {
        var cap = new LogCap();
        var taken = 0;
        Parallel.For(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            if (cap.TryTake(5_000, out _)) Interlocked.Increment(ref taken);
        });
        Assert.Equal(1, taken);
    }
}
