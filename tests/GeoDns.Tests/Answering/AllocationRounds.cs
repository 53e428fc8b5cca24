namespace GeoDns.Tests.Answering;

/// <summary>
/// Bytes a piece of work allocates on this thread, by round, until a round allocates nothing (at most five rounds).
/// The runtime itself may allocate once while it swaps in tier-1 code or a call-counting stub (seen in loaded CI
/// runs); work that allocates does so in every round, so a clean last round is the proof.
/// </summary>
public static class AllocationRounds
{
    public static List<long> Measure(Action round)
    {
        var rounds = new List<long>();
        while (rounds.Count < 5 && (rounds.Count == 0 || rounds[^1] != 0))
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            round();
            rounds.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return rounds;
    }
}
