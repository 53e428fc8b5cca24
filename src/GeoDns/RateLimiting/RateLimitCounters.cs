namespace GeoDns.RateLimiting;

/// <summary>
/// What RRL did, for <c>/metrics</c>. Under a flood every reply is counted here, so the counts are
/// striped by thread (as in <c>QueryMetrics</c>) and padded a cache line apart.
/// </summary>
public sealed class RateLimitCounters
{
    public const int Dropped = 0, Slipped = 1, Logged = 2;
    public static readonly string[] Actions = ["dropped", "slipped", "logged"];

    private const int Stride = 8; // longs: one cache line per stripe
    private readonly long[] _counts;
    private readonly int _mask;

    public RateLimitCounters()
    {
        var stripes = (int)Math.Min(64, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount * 2));
        _counts = new long[(stripes + 1) * Stride];
        _mask = stripes - 1;
    }

    public void Count(int action) =>
        Interlocked.Increment(ref _counts[((Environment.CurrentManagedThreadId & _mask) + 1) * Stride + action]);

    /// <summary>Replies dropped, slipped (sent as TC=1), or (log-only mode) that would have been limited.</summary>
    public long Total(int action)
    {
        var total = 0L;
        for (var i = Stride; i < _counts.Length; i += Stride) total += Volatile.Read(ref _counts[i + action]);
        return total;
    }
}
