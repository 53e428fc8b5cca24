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
        // 32 MB made while enumerating: stepped, that is at least one collection per MaxBudget (the runtime's own budget
        // would give a few at most). The count is process-wide, so other tests can only add to it.
        const int Items = 2048;
        var (before, kept) = (0, 0);
        var thread = new Thread(() =>
        {
            _ = CollectionPacer.Step(); // this thread's mark
            before = GC.CollectionCount(1);
            kept = Enumerable.Range(0, Items).Select(_ => new byte[16 << 10]).Paced().Count(b => b.Length == 16 << 10);
        });
        thread.Start();
        thread.Join();
        Assert.Equal(Items, kept);
        Assert.True(GC.CollectionCount(1) - before >= Items * (16L << 10) / CollectionPacer.MaxBudget - 1, "a collection per step");
    }
}
