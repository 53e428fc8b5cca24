using System.Diagnostics;

namespace GeoDns.Diagnostics;

/// <summary>
/// Counters of the query path: queries by transport, type and reply code; response times as a
/// histogram; geo lookups by outcome. Counting must cost next to nothing and allocate nothing, so
/// counts live in plain <c>long</c> arrays, one set per stripe, and each thread increments the stripe
/// its managed thread id picks: the UDP threads seldom share a cache line, and Interlocked keeps a
/// shared stripe exact. Readers add the stripes up. (Not a [ThreadStatic] stripe number: with one,
/// the zero-allocation tests failed now and then under load, as if tier-1 code set up its thread-static storage.)
/// </summary>
public sealed class QueryMetrics
{
    /// <summary>Upper bounds of the response-time buckets, seconds; answering from memory takes microseconds.</summary>
    public static readonly double[] BucketBounds = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1];

    private static readonly int Types = QueryLabels.Types.Length, Rcodes = QueryLabels.Rcodes.Length, Transports = QueryLabels.Transports.Length;
    // One array per stripe; 8 longs (a cache line) of padding keep neighbouring stripes' hot counters apart.
    private const int Pad = 8;
    private static readonly int QueriesAt = Pad;
    private static readonly int BucketsAt = QueriesAt + Transports * Types * Rcodes;
    private static readonly int SumsAt = BucketsAt + Transports * (BucketBounds.Length + 1);
    private static readonly int GeoAt = SumsAt + Transports;
    private static readonly int Length = GeoAt + 2 + Pad;

    private readonly long[][] _stripes;
    private readonly int _mask;
    private readonly long[] _bucketTicks = BucketBounds.Select(s => (long)Math.Ceiling(s * Stopwatch.Frequency)).ToArray();

    public QueryMetrics()
    {
        var count = (int)Math.Min(64, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount * 2));
        _stripes = Enumerable.Range(0, count).Select(_ => new long[Length]).ToArray();
        _mask = count - 1;
    }

    private long[] Stripe => _stripes[Environment.CurrentManagedThreadId & _mask];

    /// <param name="rcode">The reply's (extended) RCODE, or <see cref="QueryLabels.Dropped"/>.</param>
    public void CountQuery(bool tcp, ushort type, int rcode) =>
        Interlocked.Increment(ref Stripe[QueriesAt + ((tcp ? 1 : 0) * Types + QueryLabels.TypeIndex(type)) * Rcodes + QueryLabels.RcodeIndex(rcode)]);

    /// <param name="elapsed">Stopwatch timestamp ticks from the query read to the reply sent.</param>
    public void ObserveResponse(bool tcp, long elapsed) => ObserveResponses(tcp, elapsed, 1);

    /// <summary><paramref name="count"/> responses that each took <paramref name="elapsed"/> ticks: a batch, timed once.</summary>
    public void ObserveResponses(bool tcp, long elapsed, int count)
    {
        var bucket = 0;
        while (bucket < _bucketTicks.Length && elapsed > _bucketTicks[bucket]) bucket++;
        var stripe = Stripe;
        var transport = tcp ? 1 : 0;
        Interlocked.Add(ref stripe[BucketsAt + transport * (BucketBounds.Length + 1) + bucket], count);
        Interlocked.Add(ref stripe[SumsAt + transport], elapsed * count);
    }

    /// <param name="located">The database placed the client (a country or coordinates).</param>
    public void CountGeoLookup(bool located) => Interlocked.Increment(ref Stripe[GeoAt + (located ? 0 : 1)]);

    public long Queries(int transport, int type, int rcode) => Sum(QueriesAt + (transport * Types + type) * Rcodes + rcode);

    /// <summary>Responses in bucket <paramref name="bucket"/> alone (not cumulative); the last bucket is over every bound.</summary>
    public long Responses(int transport, int bucket) => Sum(BucketsAt + transport * (BucketBounds.Length + 1) + bucket);

    public double ResponseSeconds(int transport) => (double)Sum(SumsAt + transport) / Stopwatch.Frequency;

    public long GeoLookups(bool located) => Sum(GeoAt + (located ? 0 : 1));

    private long Sum(int index)
    {
        var total = 0L;
        foreach (var stripe in _stripes) total += Volatile.Read(ref stripe[index]);
        return total;
    }
}
