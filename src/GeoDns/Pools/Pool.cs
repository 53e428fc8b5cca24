using GeoDns.Health;
using GeoDns.Protocol;

namespace GeoDns.Pools;

/// <summary>A validated pool: the name it answers, its edges, probe, TTL and all-down policy.</summary>
public sealed record Pool(DnsName Name, IReadOnlyList<Edge> Edges, ProbeSettings Probe, uint Ttl, AllDownPolicy AllDown, IReadOnlyList<ResourceRecord> Fallback)
{
    /// <summary>The user's requirement: a dead edge is out of every answer, resolver caches included, within this.</summary>
    public static readonly TimeSpan ExposureBudget = TimeSpan.FromSeconds(30);

    /// <summary>The TTL of the pool's answers while it is degraded (<see cref="PoolTtl"/>): at most <see cref="Ttl"/>.</summary>
    public uint DegradedTtl { get; init; } = Math.Min(PoolOptions.DefaultDegradedTtl, Ttl);

    /// <summary>k: edges per answer.</summary>
    public int Answers { get; init; } = 2;

    /// <summary>Zone transfers carry the pool's current healthy set as plain A/AAAA; false leaves it out.</summary>
    public bool Transfer { get; init; } = true;

    /// <summary>
    /// What the pool answers while its emergency switch is on: the <c>emergency</c> records, else the fallback ones;
    /// empty when neither is configured (the switch then cannot be turned on).
    /// </summary>
    public IReadOnlyList<ResourceRecord> Emergency { get; init; } = [];

    /// <summary>Region (country or continent code, upper case) → preferred edges, in order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Regions { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public IEnumerable<ProbeTarget> Targets() =>
        Edges.SelectMany(e => e.Addresses()).Select(a => new ProbeTarget(a, Probe));

    /// <summary>
    /// Worst-case time a client may still use an edge after it dies, from a steady pool: it dies just
    /// after a good probe; the next probe comes an interval later and fails after the timeout. Answers
    /// given until then carry the TTL and are kept that long. From then on the pool is degraded: the
    /// edge is still answered (Suspect) while the confirming rounds go out at once, each a timeout,
    /// FailuresToDown rounds in all, but those answers carry the degraded TTL. So: interval + timeout +
    /// max(ttl, (FailuresToDown − 1) × timeout + degradedTtl). The timeout here is the cap: an edge that
    /// has answered fast fails after its adaptive timeout (the floor, 300 ms by default) instead.
    /// </summary>
    public TimeSpan Exposure =>
        Probe.Interval + Probe.Timeout + Max(TimeSpan.FromSeconds(Ttl), Confirming + TimeSpan.FromSeconds(DegradedTtl));

    /// <summary>
    /// The same for an edge that dies while the pool has been degraded for a TTL already (another edge
    /// Down): every cached answer carries the degraded TTL, so interval + FailuresToDown × timeout + degradedTtl.
    /// </summary>
    public TimeSpan DegradedExposure => Probe.Interval + Probe.Timeout + Confirming + TimeSpan.FromSeconds(DegradedTtl);

    /// <summary>The confirming rounds after the first failed probe.</summary>
    private TimeSpan Confirming => (Math.Max(1, Probe.FailuresToDown) - 1) * Probe.Timeout;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
