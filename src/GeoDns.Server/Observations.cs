using GeoDns.Answering;
using GeoDns.Diagnostics;
using GeoDns.Health;
using GeoDns.Persistence;
using GeoDns.Pools;
using GeoDns.Protocol;
using GeoDns.Publishing;
using GeoDns.RateLimiting;
using GeoDns.Transfer;
using GeoDns.Transport;

namespace GeoDns.Server;

/// <summary>
/// What the admin reads, beside <see cref="Operations"/> (what it changes): the snapshot answered now (routes with
/// the health and overrides they were built from), the counters, and what serves but not fully. Read the
/// <see cref="Snapshot"/> once per request and show everything of one generation from it. Read-only: the engine's
/// parts that can change what is served (the zone exchange, the exchange's queue, the defences) stay inside, and
/// only views of them come out. They are handed in while the service starts; until then only <see cref="Ready"/>
/// (false) may be read.
/// </summary>
public sealed class Observations(Responder responder, TimeProvider time)
{
    /// <summary>What is answered now: zones, pools, routes, health, overrides, table, geo and config errors of one generation.</summary>
    public Snapshot Snapshot => responder.Snapshot;

    /// <summary>
    /// The monitor's newest report, for what changes with every probe and moves no answer: the last result, its latency,
    /// the counts in a row, a certificate's days left. States, passive signals and isolation come from <see cref="Snapshot"/>.
    /// </summary>
    public HealthReport Probes => Monitor?.Current ?? HealthReport.Empty; // none before the monitor starts: the sidecar may ask that early

    /// <summary>The clock everything here runs on (a fake one in tests).</summary>
    public TimeProvider Time => time;

    /// <summary>The listeners are open and the first probe round is done: answers can be trusted (see <see cref="NotReady"/> for what may still be missing).</summary>
    public bool Ready { get; internal set; }

    /// <summary>The pools of the config in force, which <see cref="NotReady"/> looks for in a snapshot.</summary>
    internal IReadOnlyList<PoolOptions> ConfiguredPools { get; set; } = [];

    /// <summary>
    /// What is configured but not answered: zone files that never loaded, pools of the config that are not
    /// served. Empty when everything is; reloads that fail keep the last good version, which still counts as served.
    /// </summary>
    public IReadOnlyList<string> NotReady(Snapshot snapshot)
    {
        var problems = new List<string>();
        var served = snapshot.Zones.Zones.Select(z => z.File).ToHashSet();
        problems.AddRange(snapshot.Zones.Errors.Where(e => !served.Contains(e.File)).Select(e => $"zone not loaded: {e}"));
        if (MissingPools(ConfiguredPools, snapshot, Exchange?.SecondaryZones.Select(z => z.Origin) ?? []) is { Count: > 0 } missing)
            problems.Add($"pool(s) not loaded: {string.Join(", ", missing)}" + (snapshot.ConfigErrors.Count > 0 ? $": {string.Join("; ", snapshot.ConfigErrors)}" : ""));
        return problems;
    }

    /// <summary>
    /// The configured pools that <paramref name="snapshot"/> does not answer, less those in a zone we are secondary for
    /// (<paramref name="secondaries"/>) that the snapshot does not serve yet: they wait for its first transfer (a fresh
    /// ns2), which is not a mistake to refuse a start for. Judged by the snapshot alone, not by the exchange's copy: a
    /// transfer may land between the two.
    /// </summary>
    public static IReadOnlyList<string> MissingPools(IEnumerable<PoolOptions> configured, Snapshot snapshot, IEnumerable<DnsName> secondaries)
    {
        var pools = snapshot.Pools.Pools.Select(p => p.Name.ToString().TrimEnd('.')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var served = snapshot.Zones.Zones.Select(z => z.Origin).ToHashSet();
        var waiting = secondaries.Where(origin => !served.Contains(origin)).ToList();
        return [.. configured.Select(p => (p.Name ?? "").TrimEnd('.')).Where(name => !pools.Contains(name))
            .Where(name => !(DnsName.TryParse(name, out var pool, out _) && waiting.Any(pool.IsAtOrBelow)))];
    }

    /// <summary>Completes once every change handed in so far is answered, and returns that snapshot.</summary>
    public Task<Snapshot> AnsweredAsync() => Publisher.FlushAsync();

    /// <summary>What a damaged or missing state file cost at start (drains, forced states, added edges), or null: shown on /healthz and /metrics.</summary>
    public string? StateLoss { get; internal set; }

    /// <summary>When the zone files last loaded, and last failed to (<c>GET /v1/zones</c>).</summary>
    public ZoneReloads ZoneReloads => _zoneReloads;

    private volatile ZoneReloads _zoneReloads = ZoneReloads.None;
    private readonly Lock _zoneReloadsLock = new();

    /// <summary>Records a read of the zone files (at start, by a watcher or through the API: they may overlap) that found <paramref name="errors"/> errors.</summary>
    internal void ZoneFilesRead(int errors)
    {
        lock (_zoneReloadsLock) _zoneReloads = _zoneReloads.After(errors, time.GetUtcNow());
    }

    /// <summary>Mistakes in the zone directory found at start (no zone file at all; files that are not named ORIGIN.zone).</summary>
    public IReadOnlyList<string> ZoneWarnings { get; internal set; } = [];

    /// <summary>Why the last config reload's keys, transfers or updates were not applied (the last good serve); empty when they were.</summary>
    public IReadOnlyList<string> ExchangeErrors => Exchanges?.Errors ?? [];

    /// <summary>What still serves but not fully: UDP receive or TCP accept loops restarting, UPDATEs that cannot be stored. Warnings on /healthz.</summary>
    public IReadOnlyList<string> ServingWarnings =>
        [.. Listeners.ToArray().SelectMany(l => l.Problems), .. new[] { Exchange?.StorageProblem, Exchange?.Served.WriteProblem }.OfType<string>()];

    /// <summary>Each listen address's UDP sockets, for their replies per socket (<c>geodns_udp_replies_total</c>).</summary>
    public IReadOnlyList<(System.Net.IPEndPoint Listen, IReadOnlyList<long> Sent)> UdpReplies => [.. Listeners.ToArray().Select(l => (l.Udp.LocalEndPoint, l.Udp.Sent))];

    /// <summary>
    /// The serial <paramref name="origin"/> is answered and transferred with in <paramref name="snapshot"/>: its table's serial,
    /// which the route lane moves in place with a transferred zone's pools. Null when the exchange does not run (the zone
    /// file's serial is served then).
    /// </summary>
    public uint? ServedSerial(Snapshot snapshot, DnsName origin) =>
        Exchange is not { } exchange ? null
        : snapshot.Table.Serials.TryGetValue(origin, out var serial) ? serial.Value
        : exchange.Served.Find(origin)?.Version.Serial;

    /// <summary>The records dynamic update added to <paramref name="origin"/>; null when the exchange does not run.</summary>
    public IReadOnlyList<ResourceRecord>? DynamicRecords(DnsName origin) => Exchange?.Dynamic.For(origin);

    /// <summary>The zones this server is secondary for, each with its copy and how refreshing goes; null when the exchange does not run.</summary>
    public IReadOnlyList<Admin.SecondaryView>? Secondaries => Exchange is { } exchange ? [.. exchange.SecondaryZones.Select(Admin.SecondaryView.Of)] : null;

    /// <summary>Transfers, NOTIFY, UPDATE and signed queries refused because their queue was full (<c>geodns_exchange_refused_total</c>).</summary>
    public long ExchangeRefused => responder.Exchanges.Refused;

    /// <summary>UDP replies over the rate limit, by <see cref="RateLimitCounters.Actions"/>; null while RRL is off.</summary>
    public IReadOnlyList<long>? RrlResponses =>
        Defences.RateLimiter is { } limiter ? [.. Enumerable.Range(0, RateLimitCounters.Actions.Length).Select(limiter.Counters.Total)] : null;

    /// <summary>Why the last reload's <c>rrl</c> or <c>cookies</c> settings were not applied, each naming its key; empty when they were.
    /// The settings in force are the snapshot's <see cref="Snapshot.Defences"/>.</summary>
    public IReadOnlyList<string> DefenceErrors => Defences.Errors;

    /// <summary>Health transitions, newest first, from the state file: the history, which no snapshot holds.</summary>
    public IReadOnlyList<HealthTransition> Transitions(int skip = 0, int take = 50, string? target = null) => Store?.Transitions(skip, take, target) ?? [];

    /// <summary>Emergency switches turned on or off, newest first, from the state file.</summary>
    public IReadOnlyList<EmergencyEvent> EmergencyEvents(int take = 50) => Store?.EmergencyEvents(take) ?? [];

    public QueryMetrics QueryMetrics => responder.Metrics;

    /// <summary>Failures caught while handling messages or running loops (<c>geodns_internal_errors_total</c>).</summary>
    public InternalErrors InternalErrors => responder.InternalErrors;

    /// <summary>When the home last reached this nameserver (a request with the admin token), from construction on.</summary>
    public Alerts.HomeContact Home { get; } = new(time);

    /// <summary>This nameserver's own alerts and the watch on the home; null when <c>alerts</c> sends nothing.</summary>
    public Alerts.HomeAlerts? Alerts { get; internal set; }

    public ProbeMetrics ProbeMetrics { get; } = new();
    public ReloadMetrics ReloadMetrics { get; } = new();

    /// <summary>Publishes per lane and the CPU they took.</summary>
    public PublishMetrics PublishMetrics => Publisher.Metrics;

    internal HealthStore? Store { get; set; }
    internal HealthMonitor? Monitor { get; set; }
    internal Publisher Publisher { get; set; } = null!;
    internal ExchangeSetup? Exchanges { get; set; }
    internal Defences Defences { get; init; } = null!;

    /// <summary>Transfers, NOTIFY, TSIG, dynamic update and secondary zones; null when none of them is configured.</summary>
    private ZoneExchange? Exchange => Exchanges?.Exchange;
    internal IReadOnlyCollection<DnsListener> Listeners { get; set; } = [];
}
