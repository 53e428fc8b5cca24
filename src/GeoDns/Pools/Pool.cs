using GeoDns.Health;
using GeoDns.Protocol;

namespace GeoDns.Pools;

/// <summary>A validated pool: the name it answers, its edges, probe, TTL and all-down policy.</summary>
public sealed record Pool(DnsName Name, IReadOnlyList<Edge> Edges, ProbeSettings Probe, uint Ttl, AllDownPolicy AllDown, IReadOnlyList<ResourceRecord> Fallback)
{
    /// <summary>The user's requirement: a dead edge is out of every answer, resolver caches included, within this.</summary>
    public static readonly TimeSpan ExposureBudget = TimeSpan.FromSeconds(30);

    /// <summary>k: edges per answer.</summary>
    public int Answers { get; init; } = 2;

    /// <summary>Zone transfers carry the pool's current healthy set as plain A/AAAA (issue 14); false leaves it out.</summary>
    public bool Transfer { get; init; } = true;

    /// <summary>Region (country or continent code, upper case) → preferred edges, in order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Regions { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public IEnumerable<ProbeTarget> Targets() =>
        Edges.SelectMany(e => e.Addresses()).Select(a => new ProbeTarget(a, Probe));

    /// <summary>
    /// Worst-case time a client may still use an edge after it dies: it dies just after a good
    /// probe; the next probe comes an interval later and fails after the timeout (Suspect); the
    /// confirming rounds go out at once and each fails after the timeout, FailuresToDown rounds in
    /// all; then resolvers keep the last answer for the TTL. The timeout here is the cap: an edge that
    /// has answered fast fails after its adaptive timeout (the floor, 500 ms by default) instead.
    /// </summary>
    public TimeSpan Exposure =>
        Probe.Interval + Math.Max(1, Probe.FailuresToDown) * Probe.Timeout + TimeSpan.FromSeconds(Ttl);
}
