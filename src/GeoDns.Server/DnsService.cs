using System.Net;
using System.Runtime.InteropServices;
using GeoDns.Answering;
using GeoDns.Cookies;
using GeoDns.Diagnostics;
using GeoDns.Geo;
using GeoDns.Health;
using GeoDns.Persistence;
using GeoDns.Pools;
using GeoDns.RateLimiting;
using GeoDns.Transport;
using GeoDns.Zones;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GeoDns.Server;

/// <summary>
/// Keeps the answers current and serves them. Zones, pool config, probe results and overrides
/// each change on their own; every change ends in <see cref="Publish"/>, which builds the routing
/// and answer tables aside and swaps them in. Queries are answered from the old table meanwhile.
/// </summary>
public sealed class DnsService(ServerOptions options, TimeProvider time, ILoggerFactory logs) : IHostedService, IDisposable
{
    /// <summary>The user's requirement: a dead edge is out of every answer, resolver caches included, within this.</summary>
    public static readonly TimeSpan ExposureBudget = TimeSpan.FromSeconds(30);

    private readonly ILogger _log = logs.CreateLogger<DnsService>();
    private readonly Responder _responder = new();
    private readonly List<DnsListener> _listeners = [];
    private readonly List<IDisposable> _watchers = [];
    private readonly Lock _publishing = new();
    private ZoneDirectory? _zones;
    private HealthMonitor? _health;
    private HealthStore? _store;
    private List<PoolOptions> _poolOptions = options.Pools;

    public ZoneSet Zones { get; private set; } = ZoneSet.Empty;
    public PoolSet Pools { get; private set; } = PoolSet.Empty;
    public RoutingTable Routes { get; private set; } = RoutingTable.Empty;
    public HealthMonitor Health => _health!;
    public HealthStore Store => _store!;
    public IReadOnlyList<string> ConfigErrors { get; private set; } = [];
    public IReadOnlyList<IPEndPoint> Endpoints => _listeners.Select(l => l.LocalEndPoint).ToList();

    /// <summary>Zones loaded, the first probe round done and the listeners open: answers can be trusted.</summary>
    public bool Ready { get; private set; }

    /// <summary>The table queries are answered from right now.</summary>
    public AnswerTable Table => _responder.Table;

    public QueryMetrics QueryMetrics => _responder.Metrics;
    public RateLimiter? RateLimiter => _responder.RateLimiter;
    public ProbeMetrics ProbeMetrics { get; } = new();
    public ReloadMetrics ReloadMetrics { get; } = new();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(options.Zones))
            throw new DirectoryNotFoundException($"zone directory '{Path.GetFullPath(options.Zones)}' does not exist (set it with --zones DIR)");
        _zones = new ZoneDirectory(options.Zones, time);
        _store = new HealthStore(options.Data, time);
        _health = new HealthMonitor(time, logs.CreateLogger<HealthMonitor>());
        _health.Transitioned += _store.AddTransition;
        _health.Probed += probe => ProbeMetrics.Record(probe.Target.ToString(), probe.Result.Success, probe.Result.Latency);
        Zones = ReportZoneErrors(_zones.Reload());
        ApplyPools(_poolOptions, "start");
        ProbeCurrentPools();
        // Nobody is handed a dead edge at start-up: the first probe round ends before we answer.
        await _health.WaitForFirstRoundAsync(cancellationToken);
        _health.Changed += _ => Publish();
        OpenGeo();
        Publish();
        if (options.Rrl.Enabled) _responder.RateLimiter = new RateLimiter(options.Rrl, time, logs.CreateLogger<RateLimiter>());
        if (options.Cookies.Enabled)
            _responder.Cookies = CookieJar.Open(options.Cookies, options.Data, time, logs.CreateLogger<CookieJar>(), out var cookieError) ?? throw new IOException(cookieError);
        foreach (var endpoint in options.Endpoints())
        {
            _listeners.Add(new DnsListener(endpoint, _responder, options.Transport, _log));
            _log.LogInformation("Serving DNS on {Endpoint} (UDP and TCP)", _listeners[^1].LocalEndPoint);
        }
        _watchers.Add(new DirectoryWatcher(options.Zones, "*", options.ReloadDebounce, () => ReloadZones("zone files changed"), time));
        if (options.Config is { } config)
            _watchers.Add(new DirectoryWatcher(Path.GetDirectoryName(Path.GetFullPath(config))!, Path.GetFileName(config), options.ReloadDebounce, () => ReloadConfig(), time));
        var geoDirectory = Path.GetDirectoryName(Path.GetFullPath(options.GeoDatabase))!;
        if (Directory.Exists(geoDirectory))
            _watchers.Add(new DirectoryWatcher(geoDirectory, Path.GetFileName(options.GeoDatabase), options.ReloadDebounce, LoadGeo, time));
        _watchers.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true; // SIGHUP means reload, not exit
            ReloadConfig();
            ReloadZones("SIGHUP");
        }));
        Ready = true;
    }

    /// <summary>Re-reads every zone file and republishes; returns the resulting zone set.</summary>
    public ZoneSet ReloadZones(string reason)
    {
        lock (_publishing)
        {
            Zones = ReportZoneErrors(_zones!.Reload());
            ReloadMetrics.Count("zones", Zones.Errors.Count == 0);
            _log.LogInformation("Reloaded zones ({Reason}): serving {Zones} zone(s): {Names}; {Errors} error(s)", reason, Zones.Zones.Count,
                string.Join(", ", Zones.Zones.Select(z => $"{z.Origin} serial {z.Serial}")), Zones.Errors.Count);
            ApplyPools(_poolOptions, "zones reloaded"); // a pool's zone may have come or gone
            Publish();
        }
        ProbeCurrentPools();
        return Zones;
    }

    /// <summary>Re-reads the config file's pools; a broken file keeps the last good pools.</summary>
    public void ReloadConfig()
    {
        if (options.Config is null) return;
        var fresh = ConfigFile.Load(options.Config, out var error);
        lock (_publishing)
        {
            if (fresh is null)
            {
                ReloadMetrics.Count("config", false);
                ConfigErrors = [error];
                _log.LogError("Config not reloaded, last good pools kept: {Error}", error);
                return;
            }
            ReloadMetrics.Count("config", ApplyPools(fresh.Pools, "config changed"));
            Publish();
        }
        ProbeCurrentPools();
    }

    /// <summary>
    /// Rebuilds the pools from the last good config and the stored edges (after an edge was added or
    /// removed at run time), probes new addresses, and republishes; returns the config errors, if any.
    /// </summary>
    public IReadOnlyList<string> RefreshPools(string reason)
    {
        lock (_publishing)
        {
            ApplyPools(_poolOptions, reason);
            Publish();
        }
        ProbeCurrentPools();
        return ConfigErrors;
    }

    /// <summary>
    /// Hands the monitor the current pools' targets. Never under <see cref="_publishing"/>: a changed target
    /// set raises the monitor's Changed event, whose handler (Publish) takes that lock, and a probe's own
    /// notification may hold the monitor's event lock while waiting for ours: the two would deadlock.
    /// </summary>
    private void ProbeCurrentPools() => _health!.SetTargets(Pools.Targets());

    /// <summary>Opens the geo database (again, when the file changed). Missing or broken turns geo off, loudly; answering goes on.</summary>
    public void LoadGeo()
    {
        ReloadMetrics.Count("geo", OpenGeo());
    }

    private bool OpenGeo()
    {
        var geo = GeoDatabase.TryOpen(options.GeoDatabase, out var error);
        // The previous database is not disposed: a query may still be reading it. It holds no file
        // handle (it is read into memory), so the collector reclaims it once no query refers to it.
        _responder.Geo = geo;
        Geo = geo;
        // No file is a normal way to run (geo is optional); a file we cannot read is a mistake to flag.
        if (geo is null)
            _log.Log(File.Exists(options.GeoDatabase) ? LogLevel.Warning : LogLevel.Information,
                "Geo off, pool answers rotate through every healthy edge: {Error} (deploy/fetch-geodb.sh fetches a free database)", error);
        else
            _log.LogInformation("Geo database {Path}: {Type}, built {Built:yyyy-MM-dd}", geo.Path, geo.DatabaseType, geo.BuildTime);
        return geo is not null;
    }

    public GeoDatabase? Geo { get; private set; }

    /// <summary>Rebuilds routing and answers from the current zones, pools, health and overrides, and swaps them in.</summary>
    public void Publish()
    {
        lock (_publishing)
        {
            var routes = RoutingTableBuilder.Build(Pools, _health!.Current, _store!.Overrides());
            foreach (var route in routes.Pools)
            {
                var before = Routes.Find(route.Pool.Name);
                if (route.AllDown && before is not { AllDown: true })
                    _log.LogWarning("Pool {Pool}: no edge is healthy; answering by allDown={Policy} with {Count} record(s)", route.Pool.Name, route.Pool.AllDown, route.Records.Count);
                else if (!route.AllDown && before is { AllDown: true })
                    _log.LogInformation("Pool {Pool}: healthy again, answering {Records}", route.Pool.Name, route.Records.Count);
            }
            _responder.Table = AnswerTableBuilder.Build(Zones, routes);
            Routes = routes;
        }
    }

    /// <summary>False when the config's pools were rejected (the last good ones are kept).</summary>
    private bool ApplyPools(List<PoolOptions> poolOptions, string reason)
    {
        var skipped = new List<string>();
        var (pools, errors) = PoolSetBuilder.Build(poolOptions, Zones, _store!.Edges(), skipped);
        ConfigErrors = errors;
        if (errors.Count > 0)
        {
            foreach (var error in errors) _log.LogError("Pools not (re)loaded ({Reason}), last good pools kept: {Config}: {Error}", reason, options.Config ?? "config", error);
            return false;
        }
        foreach (var note in skipped) _log.LogWarning("Not answered: {Note}", note);
        _poolOptions = poolOptions;
        Pools = pools;
        foreach (var pool in pools.Pools)
        {
            var exposure = pool.Exposure.TotalSeconds;
            if (pool.Exposure > ExposureBudget)
                _log.LogWarning("Pool {Pool}: a dead edge may be answered for up to {Exposure} s (interval + timeout + re-probes + TTL {Ttl} s), over the {Budget} s budget; lower the TTL or the probe interval",
                    pool.Name, exposure, pool.Ttl, ExposureBudget.TotalSeconds);
            else
                _log.LogInformation("Pool {Pool}: {Edges} edge(s), worst-case exposure to a dead edge {Exposure} s", pool.Name, pool.Edges.Count, exposure);
        }
        return true;
    }

    private ZoneSet ReportZoneErrors(ZoneSet zones)
    {
        foreach (var error in zones.Errors) _log.LogError("Zone not (re)loaded, previous version kept: {Error}", error);
        return zones;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Ready = false;
        foreach (var watcher in _watchers) watcher.Dispose();
        _watchers.Clear();
        foreach (var listener in _listeners) listener.Dispose();
        _listeners.Clear();
        _health?.DisposeAsync().AsTask().Wait();
        _store?.Dispose();
        _responder.Cookies?.Dispose();
    }
}
