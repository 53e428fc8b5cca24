using GeoDns.Pools;
using GeoDns.Protocol;
using GeoDns.Zones;

namespace GeoDns.Publishing;

/// <summary>
/// What stands between the zones as loaded and the zones answered, when transfers, updates or secondaries are
/// configured: the zone exchange adds the secondaries' copies and the dynamic records, and gives each zone its served
/// serial, which moves with the pools' records where the zone is transferred. The publisher calls it in its own lanes,
/// so a health change never rebuilds a zone: it moves the pools' records and the serial.
/// </summary>
public interface IZoneComposer
{
    /// <summary>Static lane, first: the loaded zones plus the zones transferred in.</summary>
    ZoneSet Gather(ZoneSet loaded);

    /// <summary>Static lane, before the table is built: the zones to answer from, with served serials and dynamic records.</summary>
    ZoneSet Compose(ZoneSet zones, RoutingTable routes);

    /// <summary>Either lane, just before it swaps: the pools' records follow <paramref name="routes"/>; returns each served zone's serial.</summary>
    IReadOnlyDictionary<DnsName, uint> Follow(RoutingTable routes);

    /// <summary>After each swap, outside the publisher's locks: the versions made so far are answered, announce them (NOTIFY).</summary>
    void Announce();
}
