using GeoDns.Pools;
using GeoDns.Protocol;
using GeoDns.Updates;
using GeoDns.Zones;

namespace GeoDns.Transfer;

/// <summary>
/// Turns the loaded zones into the zones we serve and transfer: the zone file's records, the dynamic records beside
/// them, and, for zones with transfers configured, each pool's current answer as plain A/AAAA (failover for standard
/// secondaries, not geo). Each distinct content gets a serial from its <see cref="ZoneJournal"/>. <see cref="Compose"/>
/// runs when zones change; <see cref="Follow"/> when only health did, and moves just the pools' records. New versions are
/// announced (<see cref="Changed"/>, the NOTIFY trigger) by <see cref="Announce"/>, once they are answered.
/// </summary>
public sealed class ServedZones(string journalDirectory, TimeProvider time)
{
    private readonly Lock _composing = new(), _writing = new();
    private readonly Dictionary<DnsName, ZoneJournal> _journals = [];
    private readonly Dictionary<DnsName, ZoneVersion> _unannounced = [];
    private volatile IReadOnlyDictionary<DnsName, ServedZone> _zones = new Dictionary<DnsName, ServedZone>();
    private IReadOnlyDictionary<DnsName, DnsName[]> _pooled = new Dictionary<DnsName, DnsName[]>(); // zone → pools its transfers carry
    private HashSet<DnsName> _poolNames = []; // every pooled name: its address records are the pool's, not the zone's
    private HashSet<DnsName> _fileOnly = []; // zones served as loaded (no dynamic records, no pools in transfers): they keep the file's serial
    private int _writeScheduled;
    private volatile string? _writeProblem;

    /// <summary>A zone's journal on disk was damaged or unreadable (what happened to it, in words for the log); raised once, when first opened.</summary>
    public event Action<DnsName, string>? JournalDamaged;

    /// <summary>A zone got a new version (new serial), now answered.</summary>
    public event Action<DnsName, ZoneVersion>? Changed;

    /// <summary>Writing a journal failed (the message), or works again (null): answers and transfers go on either way.</summary>
    public event Action<string?>? WriteProblemChanged;

    /// <summary>Why the journals could not be written, while that lasts; null when they are.</summary>
    public string? WriteProblem => _writeProblem;

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
        var damaged = new List<(DnsName, string)>();
        var served = new Dictionary<DnsName, ServedZone>();
        var pooled = new Dictionary<DnsName, DnsName[]>();
        var answered = new List<Zone>();
        var plain = new HashSet<DnsName>();
        lock (_composing)
        {
            foreach (var zone in zones.Zones)
            {
                var soa = zone.Records.First(r => r.Type == DnsType.SOA);
                var others = zone.Records.Where(r => r.Type != DnsType.SOA).ToList();
                var extra = dynamic.For(zone.Origin);
                var pools = withPools(zone.Origin)
                    ? routes.Pools.Where(p => p.Pool.Transfer && zones.FindZone(p.Pool.Name) == zone).ToList()
                    : [];
                var poolNames = pools.Select(p => p.Pool.Name).ToHashSet();
                if (poolNames.Count > 0) pooled[zone.Origin] = [.. poolNames];
                // As ZoneIndex does for answers: the pool's records replace the file's address data at its name.
                var own = others.Where(r => !(poolNames.Contains(r.Owner) && r.Type is DnsType.A or DnsType.AAAA or DnsType.CNAME)).Concat(extra).ToList();
                if (!_journals.TryGetValue(zone.Origin, out var journal))
                {
                    _journals[zone.Origin] = journal = new ZoneJournal(journalDirectory, zone.Origin, time);
                    if (journal.Damage is { } damage) damaged.Add((zone.Origin, damage));
                }
                var fileOnly = extra.Count == 0 && pools.Count == 0;
                if (fileOnly) plain.Add(zone.Origin);
                if (journal.Advance(soa, own, [.. pools.SelectMany(p => p.Records)], fileOnly, time.GetUtcNow()))
                    _unannounced[zone.Origin] = journal.Current!;
                var version = journal.Current!;
                var answerZone = new Zone(zone.Origin, [version.Soa, .. others, .. extra], zone.File, zone.LoadedAt) { Transferred = zone.Transferred };
                served[zone.Origin] = new ServedZone(zone, answerZone, version);
                answered.Add(answerZone);
            }
            (_zones, _pooled, _fileOnly, _poolNames) = (served, pooled, plain, [.. routes.Pools.Select(p => p.Pool.Name)]);
        }
        foreach (var (origin, damage) in damaged) JournalDamaged?.Invoke(origin, damage);
        Write(); // here, in the static lane that made the version: it rewrites whole files, which costs what the rebuild beside it does
        return new ZoneSet(answered, zones.Errors);
    }

    /// <summary>
    /// Moves the pools' records of the transferred zones to <paramref name="routes"/> (new versions where they moved,
    /// written off this thread) and returns every served zone's serial, for the answers to carry.
    /// </summary>
    public IReadOnlyDictionary<DnsName, uint> Follow(RoutingTable routes)
    {
        var moved = false;
        lock (_composing)
        {
            foreach (var (origin, names) in _pooled)
            {
                var records = new List<ResourceRecord>();
                foreach (var name in names)
                    if (routes.Find(name) is { Pool.Transfer: true } route) records.AddRange(route.Records);
                var journal = _journals[origin];
                if (!journal.MovePools(records, time.GetUtcNow())) continue;
                moved = true;
                _unannounced[origin] = journal.Current!;
                var zones = new Dictionary<DnsName, ServedZone>(_zones) { [origin] = _zones[origin] with { Version = journal.Current! } };
                _zones = zones;
            }
        }
        if (moved) ScheduleWrite();
        return _zones.ToDictionary(z => z.Key, z => z.Value.Version.Serial);
    }

    /// <summary>
    /// A secondary's copy of <paramref name="origin"/> moved by <paramref name="steps"/> (IXFR): when they touch only the
    /// address records of pooled names (which this server answers from its own pools) and the SOA, the served version
    /// follows without a recompose and true is returned; the publisher then only moves the serial. False: compose again.
    /// </summary>
    public bool Amend(DnsName origin, IReadOnlyList<ZoneDelta> steps)
    {
        lock (_composing)
        {
            if (!_journals.TryGetValue(origin, out var journal) || !_zones.ContainsKey(origin) || steps.Count == 0) return false;
            if (journal.FileSerial != Serial.Of(steps[0].FromSoa)) return false; // not the copy the served version was made from
            if (!steps.All(s => s.Removed.Concat(s.Added).All(r => r.Type is DnsType.A or DnsType.AAAA or DnsType.CNAME && _poolNames.Contains(r.Owner)))) return false;
            foreach (var step in steps) journal.Amend(step.ToSoa, step.Removed, step.Added, _fileOnly.Contains(origin), time.GetUtcNow());
            _unannounced[origin] = journal.Current!;
            _zones = new Dictionary<DnsName, ServedZone>(_zones) { [origin] = _zones[origin] with { Version = journal.Current! } };
        }
        ScheduleWrite();
        return true;
    }

    /// <summary>Raises <see cref="Changed"/> for each zone with a version not yet announced: call once that version is answered.</summary>
    public void Announce()
    {
        List<KeyValuePair<DnsName, ZoneVersion>> versions;
        lock (_composing)
        {
            versions = [.. _unannounced];
            _unannounced.Clear();
        }
        foreach (var (origin, version) in versions) Changed?.Invoke(origin, version);
    }

    /// <summary>Writes off the caller's thread, coalesced: one write for a burst of changes.</summary>
    private void ScheduleWrite()
    {
        if (Interlocked.Exchange(ref _writeScheduled, 1) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(_ => { Volatile.Write(ref _writeScheduled, 0); Write(); }, null);
    }

    /// <summary>Brings every journal on disk up to its current version. One writer at a time, so lines land in the order they were made.</summary>
    private void Write()
    {
        lock (_writing)
        {
            List<(ZoneJournal Journal, Action Write)> writes;
            lock (_composing) writes = [.. _journals.Values.Select(j => (j, j.TakeWrite())).Where(w => w.Item2 is not null).Select(w => (w.j, w.Item2!))];
            string? problem = null;
            foreach (var (journal, write) in writes)
            {
                var ok = true;
                try { write(); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    ok = false;
                    problem = $"journal: writing {journal.FilePath} failed: {e.Message}; answers and transfers go on, the write is retried with the next change";
                }
                lock (_composing) journal.Written(ok);
            }
            if (writes.Count == 0 || problem == _writeProblem) return;
            _writeProblem = problem;
            WriteProblemChanged?.Invoke(problem);
        }
    }
}
