using GeoDns.Memory;

namespace GeoDns.Tests.Memory;

public class CollectionPacerTests
{
    [Fact]
    public void Step_CollectsOncePerStepBudgetTheThreadAllocates()
    {
        // On a thread of its own: the pacer's mark and step are per thread.
        var collections = 0;
        var allocated = 8 * CollectionPacer.MaxBudget;
        var thread = new Thread(() =>
        {
            Assert.False(CollectionPacer.Step()); // the first step only sets the mark
            var kept = new List<byte[]>();
            for (var bytes = 0L; bytes < allocated; bytes += 16 << 10)
            {
                kept.Add(new byte[16 << 10]);
                if (CollectionPacer.Step()) collections++;
            }
            GC.KeepAlive(kept);
        });
        thread.Start();
        thread.Join();
        // However the pauses steer the step, it stays between its bounds.
        Assert.InRange(collections, allocated / CollectionPacer.MaxBudget - 1, allocated / CollectionPacer.MinBudget);
    }

    [Fact]
    public void Step_WithoutAllocating_NeverCollects()
    {
        var thread = new Thread(() =>
        {
            _ = CollectionPacer.Step();
            for (var i = 0; i < 100_000; i++) Assert.False(CollectionPacer.Step());
        });
        thread.Start();
        thread.Join();
    }

    [Fact]
    public void Paced_StepsBeforeEachItem_AndKeepsTheItems()
    {
        var items = Enumerable.Range(0, 1000).Select(i => new byte[4 << 10]);
        Assert.Equal(1000, items.Paced().Count(b => b.Length == 4 << 10));
    }
}
