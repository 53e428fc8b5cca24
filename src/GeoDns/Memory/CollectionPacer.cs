namespace GeoDns.Memory;

/// <summary>
/// Spreads the collector's work over a large build (a zone load, a table build) in small steps, so no
/// single pause holds up the queries. Such a build keeps much of what it allocates, and a young collection
/// pauses every thread for about 3–10 ms per megabyte it promotes (nearly all of it found through the
/// older objects that point at it); left to its own budget, the runtime promoted 10–36 MB at a time, in
/// pauses of 100–450 ms. Collecting gen 0 and 1 after every <see cref="MinBudget"/> to <see cref="MaxBudget"/>
/// bytes the building thread allocates keeps each pause to a few milliseconds; the total stays about the
/// same. How much of a step survives depends on the build (a leaner parser keeps more of what it
/// allocates), so the step follows the pauses: halved after a pause over <see cref="TargetMs"/>, doubled
/// after one under half of it (fixed 1 MB steps gave 28 ms once the parser left less garbage; steps up to
/// 4 MB gave 36 ms). Figures: bench/RESULTS.md. The rare long pause left over was not the
/// pacing's: a full collection the runtime meant to run in the background ran blocking (0.6–1.6 s) when the
/// workstation collector's background thread had to be created anew; the server runs server GC for that
/// (the reason is in the server project's file).
/// </summary>
public static class CollectionPacer
{
    public const long MinBudget = 256 << 10, MaxBudget = 1 << 20;

    /// <summary>The pause a step aims at.</summary>
    public const double TargetMs = 4;

    [ThreadStatic] private static long t_next, t_budget;

    /// <summary>Called once per record or name by a build; collects gen 0 and 1 when this thread has allocated another step's budget.</summary>
    /// <returns>Whether it collected.</returns>
    public static bool Step()
    {
        if (GC.GetAllocatedBytesForCurrentThread() < t_next) return false;
        // The first step of a thread only sets its mark: what it allocated before the build is not the build's.
        var collect = t_next != 0;
        if (t_budget == 0) t_budget = 1 << 20;
        if (collect)
        {
            var before = GC.GetTotalPauseDuration();
            GC.Collect(1, GCCollectionMode.Forced, blocking: true, compacting: false);
            var pause = (GC.GetTotalPauseDuration() - before).TotalMilliseconds;
            t_budget = Math.Clamp(pause > TargetMs ? t_budget / 2 : pause < TargetMs / 2 ? t_budget * 2 : t_budget, MinBudget, MaxBudget);
        }
        t_next = GC.GetAllocatedBytesForCurrentThread() + t_budget;
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
