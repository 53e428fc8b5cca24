using System.Collections.Immutable;
using GeoDns.Geo;
using GeoDns.Health;
using GeoDns.Pools;
using GeoDns.Zones;

namespace GeoDns.Answering;

/// <summary>
/// Everything the server answers from, with the inputs its routes were made of: the responder and the admin
/// each take it with a single read, so what they show of routes, health and overrides is of one generation.
/// <para>
/// Every field is immutable except two kinds of slot in <see cref="Table"/>, which the route lane writes in place once
/// the table is published (the static lane sets them on a new table before swapping it in): the <see cref="PoolSlot"/>s
/// with the entries that read them, and the zones' <see cref="ZoneSerial"/>s (<see cref="AnswerTable.SetSerial"/>).
/// The route lane (health, drains, forced states, geo) does not build a table: it sets the changed pools'
/// <see cref="PoolSlot.Current"/> and re-renders their dependent entries in the current table in place, sets the serials
/// that moved without a rebuild (a transferred zone whose pools' records moved, a secondary's copy that moved only at
/// pooled names), then publishes a copy of this snapshot with the new <see cref="Routes"/>, <see cref="Health"/> and
/// <see cref="Overrides"/>. That keeps its cost growing with the pool, not with the zones.
/// So every snapshot sharing a table sees that table's newest pool answers and serials: between the in-place update and
/// the swap, and for whoever still holds an older snapshot, <see cref="Table"/> may be a route generation ahead of
/// <see cref="Routes"/>. A query reads an entry's old or new reply set whole, never a mix, and a serial once per reply.
/// To show a pool's answer with the route it was made from, read <see cref="PoolAnswer"/> (it carries its route); to
/// show routes with the health and overrides they were built from, read <see cref="Routes"/>, <see cref="Health"/> and
/// <see cref="Overrides"/>.
/// </para>
/// </summary>
public sealed record Snapshot(long Generation, ZoneSet Zones, PoolSet Pools, RoutingTable Routes, AnswerTable Table, GeoDatabase? Geo, IReadOnlyList<string> ConfigErrors)
{
    public static readonly Snapshot Empty = new(0, ZoneSet.Empty, PoolSet.Empty, RoutingTable.Empty, AnswerTable.Empty, null, []);

    /// <summary>
    /// The health report <see cref="Routes"/> were built from: the states, passive signals and isolation answers go by,
    /// as of the last health change. Probe details that change without changing a state (each probe's latency, its
    /// counts) are newer in the monitor's own report.
    /// </summary>
    public HealthReport Health { get; init; } = HealthReport.Empty;

    /// <summary>The operators' drains and forced states, by edge name, that <see cref="Routes"/> were built from.</summary>
    public IReadOnlyDictionary<string, EdgeOverride> Overrides { get; init; } = ImmutableDictionary<string, EdgeOverride>.Empty;

    /// <summary>The RRL and cookie settings in force when this generation was published.</summary>
    public DefencePolicy Defences { get; init; } = DefencePolicy.Off;

    /// <summary>A pool's answer in this table now (null when its zone is not served); see above for how it may lead <see cref="Routes"/>.</summary>
    public PoolAnswer? PoolAnswer(GeoDns.Protocol.DnsName pool) => Table.Slot(pool)?.Current;
}
