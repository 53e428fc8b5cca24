using GeoDns.Pools;
using GeoDns.Protocol;
using GeoDns.Updates;
using GeoDns.Zones;

namespace GeoDns.Transfer;

/// <summary>
/// Turns the loaded zones into the zones we serve and transfer: the zone file's records, the dynamic
/// records beside them, and, for zones with transfers configured, each pool's current answer as plain
/// A/AAAA (failover for standard secondaries, not geo). Each distinct content gets a serial from its
/// <see cref="ZoneJournal"/>; <see cref="Changed"/> fires for every new version (the NOTIFY trigger).
/// </summary>
public sealed class ServedZones(string journalDirectory, TimeProvider time)
{
    private readonly Lock _composing = new();
    private readonly Dictionary<DnsName, ZoneJournal> _journals = [];
    private volatile IReadOnlyDictionary<DnsName, ServedZone> _zones = new Dictionary<DnsName, ServedZone>();

    private string _poolKey = "";

    /// <summary>True when <paramref name="routes"/> would give zones with pools in their transfers other records than the last <see cref="Compose"/> used.</summary>
    public bool PoolRecordsChanged(RoutingTable routes, Func<DnsName, bool> withPools)
    {
        lock (_composing) return PoolKey(routes, withPools) != _poolKey;
    }

    private static string PoolKey(RoutingTable routes, Func<DnsName, bool> withPools) =>
        string.Join("\n", routes.Pools.Where(p => p.Pool.Transfer).SelectMany(p => p.Records).Select(ZoneJournal.Key).Order(StringComparer.Ordinal));

    /// <summary>A zone's journal on disk was damaged or unreadable (what happened to it, in words for the log); raised once, when first opened.</summary>
    public event Action<DnsName, string>? JournalDamaged;

    /// <summary>A zone got a new version (new serial).</summary>
    public event Action<DnsName, ZoneVersion>? Changed;

    public ServedZone? Find(DnsName origin) => _zones.GetValueOrDefault(origin);

    public IReadOnlyCollection<ServedZone> All => (IReadOnlyCollection<ServedZone>)_zones.Values;

    /// <summary>The current version of <paramref name="origin"/> and the IXFR steps from <paramref name="serial"/> to it
    /// (null when the journal does not reach back that far), read together so they agree.</summary>
    public (ZoneVersion Version, IReadOnlyList<ZoneDelta>? Steps)? Since(DnsName origin, uint serial)
    {
        lock (_composing)
            return _journals.GetValueOrDefault(origin) is { Current: { } current } journal ? (current, journal.StepsFrom(serial)) : null;
    }

    /// <param name="withPools">Zones whose transfers carry pool records (those with transfers configured).</param>
    public ZoneSet Compose(ZoneSet zones, RoutingTable routes, DynamicRecords dynamic, Func<DnsName, bool> withPools)
    {
        var changed = new List<(DnsName, ZoneVersion)>();
        var damaged = new List<(DnsName, string)>();
        var served = new Dictionary<DnsName, ServedZone>();
        var answered = new List<Zone>();
        lock (_composing)
        {
            _poolKey = PoolKey(routes, withPools);
            foreach (var zone in zones.Zones)
            {
                var soa = zone.Records.First(r => r.Type == DnsType.SOA);
                var others = zone.Records.Where(r => r.Type != DnsType.SOA).ToList();
                var extra = dynamic.For(zone.Origin);
                var pools = withPools(zone.Origin)
                    ? routes.Pools.Where(p => p.Pool.Transfer && zones.FindZone(p.Pool.Name) == zone).ToList()
                    : [];
                var poolNames = pools.Select(p => p.Pool.Name).ToHashSet();
                // As ZoneIndex does for answers: the pool's records replace the file's address data at its name.
                var content = others.Where(r => !(poolNames.Contains(r.Owner) && r.Type is DnsType.A or DnsType.AAAA or DnsType.CNAME))
                    .Concat(extra).Concat(pools.SelectMany(p => p.Records)).ToList();
                if (!_journals.TryGetValue(zone.Origin, out var journal))
                {
                    _journals[zone.Origin] = journal = new ZoneJournal(journalDirectory, zone.Origin, time);
                    if (journal.Damage is { } damage) damaged.Add((zone.Origin, damage));
                }
                if (journal.Advance(soa, content, fileOnly: extra.Count == 0 && pools.Count == 0, time.GetUtcNow()))
                    changed.Add((zone.Origin, journal.Current!));
                var version = journal.Current!;
                var answerZone = new Zone(zone.Origin, [version.Soa, .. others, .. extra], zone.File, zone.LoadedAt);
                served[zone.Origin] = new ServedZone(zone, answerZone, version);
                answered.Add(answerZone);
            }
            _zones = served;
        }
        foreach (var (origin, damage) in damaged) JournalDamaged?.Invoke(origin, damage);
        foreach (var (origin, version) in changed) Changed?.Invoke(origin, version);
        return new ZoneSet(answered, zones.Errors);
    }
}
