using GeoDns.Geo;
using GeoDns.Pools;
using GeoDns.Zones;

namespace GeoDns.Answering;

/// <summary>
/// Everything the server answers from, as one immutable value: the responder and the admin each
/// take it with a single read, so nothing they show can mix two generations. Pooled names' answers
/// are read through <see cref="Table"/>'s slots, which the publisher keeps in step with <see cref="Routes"/>.
/// </summary>
public sealed record Snapshot(long Generation, ZoneSet Zones, PoolSet Pools, RoutingTable Routes, AnswerTable Table, GeoDatabase? Geo, IReadOnlyList<string> ConfigErrors)
{
    public static readonly Snapshot Empty = new(0, ZoneSet.Empty, PoolSet.Empty, RoutingTable.Empty, AnswerTable.Empty, null, []);

    /// <summary>A pool's answer in this generation's table (null when its zone is not served).</summary>
    public PoolAnswer? PoolAnswer(GeoDns.Protocol.DnsName pool) => Table.Slot(pool)?.Current;
}
