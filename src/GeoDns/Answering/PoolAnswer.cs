using GeoDns.Pools;

namespace GeoDns.Answering;

/// <summary>
/// One generation of a pool's answer: its route (edges and states after drains and forced states),
/// the records a resolution sees at its name (A, AAAA, or a fallback or emergency CNAME), and the per-query geo choices for A and
/// AAAA (null when that family has no answerable edge, or the all-down policy or the emergency switch answers). Immutable.
/// </summary>
public sealed class PoolAnswer(PoolRoute route, RRset? a, RRset? aaaa, RRset? cname, GeoAnswer? geoA, GeoAnswer? geoAaaa)
{
    public PoolRoute Route { get; } = route;
    public RRset? A { get; } = a;
    public RRset? Aaaa { get; } = aaaa;

    /// <summary>Only from an all-down fallback (<c>allDown: fallback</c> with a CNAME), or a CNAME answered while the emergency switch is on.</summary>
    public RRset? Cname { get; } = cname;
    public GeoAnswer? GeoA { get; } = geoA;
    public GeoAnswer? GeoAaaa { get; } = geoAaaa;

    public GeoAnswer? GeoFor(ushort type) => type == Protocol.DnsType.A ? GeoA : type == Protocol.DnsType.AAAA ? GeoAaaa : null;
}
