using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using GeoDns.Answering;
using GeoDns.Diagnostics;
using GeoDns.Geo;
using GeoDns.Health;
using GeoDns.Persistence;
using GeoDns.Pools;
using GeoDns.Publishing;
using GeoDns.RateLimiting;
using GeoDns.Transfer;
using GeoDns.Transport;
using GeoDns.Zones;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GeoDns.Server;

/// <summary>
/// Wiring: reads the zone directory, the config, the state file and the geo database, hands them to
/// the <see cref="Publisher"/> (which turns them into answers), runs the health monitor, and opens the
/// listeners. Watchers and SIGHUP trigger reloads. Everything the admin shows comes from one
/// <see cref="Snapshot"/>; changes go through <see cref="Operations"/>.
/// </summary>
public sealed class DnsService(ServerOptions options, TimeProvider time, ILoggerFactory logs) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _log = logs.CreateLogger<DnsService>();
    private readonly Responder _responder = new();
    private readonly List<DnsListener> _listeners = [];
    private readonly List<IDisposable> _watchers = [];
    private ZoneDirectory? _zones;
    private HealthMonitor? _health;
    private Publisher? _publisher;
    private IReadOnlyList<PoolOptions> _runningPools = options.Pools;
    private ServerOptions? _reloaded;
    // Transfers, updates and secondaries: what they add to the zone files is composed by the publisher.
    private ExchangeSetup? _exchange;
    private Defences? _defences;

    /// <summary>Transfers, NOTIFY, TSIG, dynamic update and secondary zones; null when none of them is configured.</summary>
    public ZoneExchange? Exchange => _exchange?.Exchange;

    /// <summary>What is answered right now: zones, pools, routes, table, geo and load errors of one generation.</summary>
    public Snapshot Snapshot => _responder.Snapshot;

    // Single reads of the snapshot, for tests and one-off looks; take Snapshot once to read several together.
    public ZoneSet Zones => Snapshot.Zones;
    public PoolSet Pools => Snapshot.Pools;
    public RoutingTable Routes => Snapshot.Routes;
    public GeoDatabase? Geo => Snapshot.Geo;
    public IReadOnlyList<string> ConfigErrors => Snapshot.ConfigErrors;

    public HealthMonitor Health => _health!;

    /// <summary>Mistakes in the zone directory found at start (no zone file at all; files that are not named ORIGIN.zone).</summary>
    public IReadOnlyList<string> ZoneWarnings { get; private set; } = [];

    /// <summary>Why the last config reload's keys, transfers or updates were not applied (the last good serve); empty when they were.</summary>
    public IReadOnlyList<string> ExchangeErrors => _exchange?.Errors ?? [];

    /// <summary>The clock everything here runs on (a fake one in tests).</summary>
    public TimeProvider Time => time;
    public HealthStore Store { get; private set; } = null!;

    /// <summary>What a damaged or missing state file cost at start (drains, forced states, added edges), or null: shown on /healthz and /metrics.</summary>
    public string? StateLoss { get; private set; }
    public Publisher Publisher => _publisher!;

    /// <summary>The admin's way to change things: each operation writes, persists and republishes in one step.</summary>
    public Operations Operations { get; private set; } = null!;

    public IReadOnlyList<IPEndPoint> Endpoints => _listeners.Select(l => l.LocalEndPoint).ToList();

    /// <summary>The listeners are open and the first probe round is done: answers can be trusted (see <see cref="NotReady"/> for what may still be missing).</summary>
    public bool Ready { get; private set; }

    public QueryMetrics QueryMetrics => _responder.Metrics;

    /// <summary>Failures caught while handling messages or running loops (<c>geodns_internal_errors_total</c>).</summary>
    public InternalErrors InternalErrors => _responder.InternalErrors;

    /// <summary>Where transfers, NOTIFY, UPDATE and signed queries wait for their workers.</summary>
    public ExchangeWorkers ExchangeWorkers => _responder.Exchanges;

    /// <summary>What still serves but not fully: UDP receive loops restarting, UPDATEs that cannot be stored. Warnings on /healthz.</summary>
    public IReadOnlyList<string> ServingWarnings =>
        [.. _listeners.ToArray().SelectMany(l => l.Udp.Problems), .. new[] { Exchange?.StorageProblem, Exchange?.Served.WriteProblem }.OfType<string>()];
    public RateLimiter? RateLimiter => _responder.RateLimiter;

    /// <summary>RRL and DNS Cookies, applied at start and on each config reload.</summary>
    public Defences Defences => _defences!;
    public ProbeMetrics ProbeMetrics { get; } = new();
    public ReloadMetrics ReloadMetrics { get; } = new();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(options.Zones))
            throw new DirectoryNotFoundException($"zone directory '{Path.GetFullPath(options.Zones)}' does not exist (set it with --zones DIR)");
        _log.LogInformation("GeoDns {Version} starting: zones {Zones}, data {Data}", GeoDns.Configuration.ProgramVersion.Text, Path.GetFullPath(options.Zones), Path.GetFullPath(options.Data));
        _zones = new ZoneDirectory(options.Zones, time);
        // The file as it was read at start, without the command line's overrides: what a reload is compared with.
        if (options.Config is { } file) _reloaded = ConfigFile.Load(file, out _);
        Store = OpenStore(out var loss);
        if ((StateLoss = loss) is not null) _log.LogCritical("State file: {Loss}. DNS is served from the zones and the config; drain again what should be drained.", loss);
        _health = new HealthMonitor(time, logs.CreateLogger<HealthMonitor>());
        _health.Transitioned += Store.AddTransition;
        _health.Probed += probe => ProbeMetrics.Record(probe.Target.ToString(), probe.Result.Success, probe.Result.Latency);
        _exchange = new ExchangeSetup(options, _responder, time, logs);
        _publisher = new Publisher(_responder, time, logs.CreateLogger<Publisher>(), composer: _exchange.Exchange);
        _exchange.Attach(_publisher);
        Operations = new Operations(this, time);
        var zones = ReportZoneErrors(_zones.Reload(), atStart: true);
        ZoneReport.Loaded(_log, zones, ZoneSet.Empty);
        foreach (var mistake in ZoneWarnings = ZoneReport.Mistakes(_zones, zones)) _log.LogWarning("Zones: {Warning}", mistake);
        _publisher.SetZones(zones);
        _publisher.SetPools(options.Pools);
        _publisher.SetStoredEdges(Store.Edges());
        _publisher.SetOverrides(Store.Overrides());
        var snapshot = await _publisher.FlushAsync(cancellationToken);
        if (NotReady(snapshot).Concat(_exchange.Errors.Select(e => $"transfers/updates not configured: {e}")).ToList() is { Count: > 0 } problems)
        {
            // A typo plus a reboot must not take a name down quietly: refuse to start, unless asked to limp.
            if (!options.StartDegraded)
                throw new InvalidDataException($"not starting: {string.Join("; ", problems)} (fix it, or start anyway with --degraded / \"startDegraded\": true)");
            foreach (var problem in problems) _log.LogError("Starting degraded: {Problem}", problem);
        }
        _publisher.PoolsChanged += pools => _health.SetTargets(pools.Targets());
        _health.SetTargets(snapshot.Pools.Targets());
        // Nobody is handed a dead edge at start-up: the first probe round ends before we answer.
        await _health.WaitForFirstRoundAsync(cancellationToken);
        _health.Changed += _publisher.SetHealth;
        _publisher.SetHealth(_health.Current);
        _publisher.SetGeo(OpenGeo());
        await _publisher.FlushAsync(cancellationToken);
        _defences = new Defences(_responder, options.Data, time, logs);
        _responder.Exchanges.Log = logs.CreateLogger<ExchangeWorkers>();
        // The values were checked with the command line; what is left to fail here is reading the cookie secret.
        if (_defences.Apply(options.Rrl, options.Cookies) is { Count: > 0 } defenceErrors) throw new IOException(string.Join("; ", defenceErrors));
        foreach (var endpoint in options.Endpoints())
        {
            try { _listeners.Add(new DnsListener(endpoint, _responder, options.Transport, _log)); }
            catch (SocketException e) { throw new IOException(ListenFailure.Describe(endpoint, e), e); }
            _log.LogInformation("Serving DNS on {Endpoint} (UDP and TCP)", _listeners[^1].LocalEndPoint);
        }
        _watchers.Add(new DirectoryWatcher(options.Zones, "*", options.ReloadDebounce, () => ReloadZones("zone files changed"), time, _zones.Watches));
        if (options.Config is { } config)
            _watchers.Add(new DirectoryWatcher(Path.GetDirectoryName(Path.GetFullPath(config))!, Path.GetFileName(config), options.ReloadDebounce, ReloadConfig, time));
        var geoPath = options.GeoDatabasePath;
        var geoDirectory = Path.GetDirectoryName(Path.GetFullPath(geoPath))!;
        if (Directory.Exists(geoDirectory))
            _watchers.Add(new DirectoryWatcher(geoDirectory, Path.GetFileName(geoPath), options.ReloadDebounce, LoadGeo, time));
        _watchers.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true; // SIGHUP means reload, not exit
            ReloadConfig();
            ReloadZones("SIGHUP");
        }));
        Ready = true;
    }

    /// <summary>
    /// What is configured but not answered: zone files that never loaded, pools of the config that are not
    /// served. Empty when everything is; reloads that fail keep the last good version, which still counts as served.
    /// </summary>
    public IReadOnlyList<string> NotReady(Snapshot snapshot)
    {
        var problems = new List<string>();
        var served = snapshot.Zones.Zones.Select(z => z.File).ToHashSet();
        problems.AddRange(snapshot.Zones.Errors.Where(e => !served.Contains(e.File)).Select(e => $"zone not loaded: {e}"));
        var pools = snapshot.Pools.Pools.Select(p => p.Name.ToString().TrimEnd('.')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = _runningPools.Select(p => (p.Name ?? "").TrimEnd('.')).Where(name => !pools.Contains(name)).ToList();
        if (missing.Count > 0)
            problems.Add($"pool(s) not loaded: {string.Join(", ", missing)}" + (snapshot.ConfigErrors.Count > 0 ? $": {string.Join("; ", snapshot.ConfigErrors)}" : ""));
        return problems;
    }

    /// <summary>Re-reads every zone file and hands the result to the publisher; returns the new zone set.</summary>
    public ZoneSet ReloadZones(string reason)
    {
        // A watcher's debounce timer may fire while the service stops: nothing to reload into then.
        if (_publisher is null) return Zones;
        var previous = _zones!.Current;
        var zones = ReportZoneErrors(_zones.Reload(), atStart: false);
        ZoneReport.Loaded(_log, zones, previous);
        ReloadMetrics.Count("zones", zones.Errors.Count == 0);
        _log.LogInformation("Reloaded zones ({Reason}): serving {Zones} zone(s); {Errors} error(s)", reason, zones.Zones.Count, zones.Errors.Count);
        _publisher.SetZones(zones);
        return zones;
    }

    /// <summary>
    /// Re-reads the config file: pools, transfers and updates, RRL and cookies; a broken file keeps the last good
    /// of everything, a bad value the last good of its section. Settings that need a restart are named.
    /// </summary>
    public void ReloadConfig()
    {
        if (options.Config is null || _publisher is null) return;
        var fresh = ConfigFile.Load(options.Config, out var error);
        if (fresh is null)
        {
            ReloadMetrics.Count("config", false);
            _log.LogError("Config not reloaded, last good pools kept: {Error}", error);
            _publisher!.SetPools(null, error);
            return;
        }
        foreach (var key in ServerOptions.RestartNeeded(_reloaded ?? options, fresh))
            _log.LogWarning("Config: '{Key}' changed in {File}; it takes effect at the next restart", key, options.Config);
        var invalid = _defences!.Apply(fresh.Rrl, fresh.Cookies);
        foreach (var problem in invalid) _log.LogError("Config: {Problem} in {File}; the last good setting is kept", problem, options.Config);
        ReloadMetrics.Count("config", invalid.Count == 0);
        (_reloaded, _runningPools) = (fresh, fresh.Pools);
        _publisher!.SetPools(fresh.Pools);
        _exchange!.Configure(fresh);
    }

    /// <summary>Opens the geo database (again, when the file changed). Missing or broken turns geo off, loudly; answering goes on.</summary>
    public void LoadGeo()
    {
        if (_publisher is null) return;
        var geo = OpenGeo();
        ReloadMetrics.Count("geo", geo is not null);
        _publisher!.SetGeo(geo);
    }

    private GeoDatabase? OpenGeo()
    {
        var path = options.GeoDatabasePath;
        var geo = GeoDatabase.TryOpen(path, out var error);
        // The previous database is not disposed: a query may still be reading it. It holds no file
        // handle (it is read into memory), so the collector reclaims it once no query refers to it.
        if (geo is null)
        {
            // No file is a normal way to run when nobody asked for geo; a file named but missing, or unreadable, is a mistake to flag.
            var level = File.Exists(path) || options.GeoDatabase is not null ? LogLevel.Warning : LogLevel.Information;
            _log.Log(level, "Geo off, pool answers rotate through every healthy edge: {Error} (deploy/fetch-geodb.sh fetches a free database)", error);
        }
        return geo;
    }

    /// <summary>Opens the state file; a data directory the service user cannot write is named with that user, not as "access denied".</summary>
    private HealthStore OpenStore(out string? loss)
    {
        try
        {
            return StoreRecovery.Open(options.Data, time, out loss);
        }
        catch (UnauthorizedAccessException)
        {
            var directory = Path.GetFullPath(options.Data);
            throw new IOException($"data directory {directory}: cannot be written by user {Environment.UserName}: permission denied; give it to that user (chown -R {Environment.UserName} {directory})");
        }
    }

    private ZoneSet ReportZoneErrors(ZoneSet zones, bool atStart)
    {
        foreach (var error in zones.Errors)
            if (atStart) _log.LogError("Zone not loaded: {Error}", error); // there is no previous version to keep
            else _log.LogError("Zone not (re)loaded, previous version kept: {Error}", error);
        return zones;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        Ready = false;
        foreach (var watcher in _watchers) watcher.Dispose();
        _watchers.Clear();
        foreach (var listener in _listeners) listener.Dispose();
        _listeners.Clear();
        _responder.Exchanges.Dispose(); // after the listeners (nothing new comes), before the publisher an UPDATE in hand may wait for
        if (_health is not null) await _health.DisposeAsync();
        if (_publisher is not null) await _publisher.DisposeAsync();
        _exchange?.Dispose();
        Store?.Dispose();
        _defences?.Dispose();
        _health = null;
        _publisher = null;
    }
}
