namespace GeoDns.Memory;

/// <summary>
/// Spreads the collector's work over a large build (a zone load, a table build) in small steps, so no
/// single pause holds up the queries. Such a build keeps much of what it allocates, and a young collection
/// pauses every thread for about 3–10 ms per megabyte it promotes (nearly all of it found through the
/// older objects that point at it); left to its own budget, the runtime promoted 10–36 MB at a time, in
/// pauses of 100–450 ms. Collecting gen 0 and 1 after every <see cref="Budget"/> bytes the building
/// thread allocates keeps each pause to a few milliseconds; the total stays about the same (1.1–1.9 s for
/// a reload of 100,000 records). bench/publisher.py reload, 20,000 queries/s, 2026-12-01: the longest pause
/// 12–17 ms in 5 runs of 6 (33 ms in one), against 100–450 ms unpaced; 2 MB steps gave up to 53 ms. With
/// 512 KB steps a background full collection (started by a large allocation) once paused 575 ms, marking
/// 144 MB in its blocking part; not seen with 1 MB in eight runs (its pauses there: 1–3 ms). Holding full
/// collections off during a build (GCLatencyMode.LowLatency) made it worse: a blocking full one of 1.0 s.
/// </summary>
public static class CollectionPacer
{
    /// <summary>Bytes a building thread allocates between two of its collections.</summary>
    public const long Budget = 1 << 20;

    [ThreadStatic] private static long t_next;

    /// <summary>Called once per record or name by a build; collects gen 0 and 1 when this thread has allocated another <see cref="Budget"/>.</summary>
    /// <returns>Whether it collected.</returns>
    public static bool Step()
    {
        if (GC.GetAllocatedBytesForCurrentThread() < t_next) return false;
        // The first step of a thread only sets its mark: what it allocated before the build is not the build's.
        var collect = t_next != 0;
        if (collect) GC.Collect(1, GCCollectionMode.Forced, blocking: true, compacting: false);
        t_next = GC.GetAllocatedBytesForCurrentThread() + Budget;
        return collect;
    }

    /// <summary>The items, with a <see cref="Step"/> before each: for a LINQ operator that builds a large result before it yields (GroupBy, ToList).</summary>
    public static IEnumerable<T> Paced<T>(this IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            _ = Step();
            yield return item;
        }
    }
}
