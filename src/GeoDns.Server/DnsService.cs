using System.Net;
using System.Net.Sockets;
using GeoDns.Answering;
using GeoDns.Health;
using GeoDns.Persistence;
using GeoDns.Publishing;
using GeoDns.Server.Admin;
using GeoDns.Server.Alerts;
using GeoDns.Transport;
using GeoDns.Zones;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GeoDns.Server;

/// <summary>
/// Wiring: reads the zone directory, the config, the state file and the geo database, hands them to
/// the <see cref="Publisher"/> (which turns them into answers), runs the health monitor, and opens the
/// listeners. Watchers and SIGHUP start reloads, which go through <see cref="Operations"/> as every admin change does.
/// The admin reads <see cref="Observations"/> (one <see cref="Snapshot"/> per request).
/// </summary>
public sealed class DnsService : IHostedService, IAsyncDisposable
{
    private readonly ServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _logs;
    private readonly AdminSettings _admin;
    private readonly ILogger _log;
    private readonly Responder _responder;
    private readonly Defences _defences;
    private readonly List<DnsListener> _listeners = [];
    private readonly List<IDisposable> _watchers = [];
    private HealthStore? _store;
    private HealthMonitor? _health;
    private Publisher? _publisher;
    private Reloads? _reloads;
    // Transfers, updates and secondaries: what they add to the zone files is composed by the publisher.
    private ExchangeSetup? _exchange;

    public DnsService(ServerOptions options, TimeProvider time, ILoggerFactory logs, AdminSettings admin)
    {
        (_options, _time, _logs, _log, _admin) = (options, time, logs, logs.CreateLogger<DnsService>(), admin);
        _responder = new Responder(options.Exchange.Queue, options.Exchange.Workers);
        _defences = new Defences(_responder, options.Data, time, logs);
        Observations = new Observations(_responder, time) { ConfiguredPools = options.Pools, Listeners = _listeners, Defences = _defences };
    }

    /// <summary>What the admin reads: the snapshot answered now, counters, warnings. Exists from construction, filled while starting.</summary>
    public Observations Observations { get; }

    /// <summary>The admin's way to change things, and the reloads': each writes, persists and republishes in one step. Null until started.</summary>
    public Operations? Operations { get; private set; }

    /// <summary>The zone exchange itself (null when not configured), for tests of how it is wired; the admin reads <see cref="Observations"/>.</summary>
    public GeoDns.Transfer.ZoneExchange? Exchange => _exchange?.Exchange;

    /// <summary>Where diverted messages wait for the exchange's workers, for tests that fill it; the admin reads only its refusals.</summary>
    public ExchangeWorkers ExchangeWorkers => _responder.Exchanges;

    public IReadOnlyList<IPEndPoint> Endpoints => _listeners.Select(l => l.LocalEndPoint).ToList();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (options, time, logs, seen) = (_options, _time, _logs, Observations);
        if (!Directory.Exists(options.Zones))
            throw new DirectoryNotFoundException($"zone directory '{Path.GetFullPath(options.Zones)}' does not exist (set it with --zones DIR)");
        _log.LogInformation("GeoDns {Version} starting: zones {Zones}, data {Data}", GeoDns.Configuration.ProgramVersion.Text, Path.GetFullPath(options.Zones), Path.GetFullPath(options.Data));
        var directory = new ZoneDirectory(options.Zones, time);
        // The file as it was read at start, without the command line's overrides: what a reload is compared with.
        var asRead = options.Config is { } file ? ConfigFile.Load(file, out _) : null;
        var store = seen.Store = _store = StateFile.Open(options.Data, time, out var loss);
        if ((seen.StateLoss = loss) is not null) _log.LogCritical("State file: {Loss}. DNS is served from the zones and the config; drain again what should be drained.", loss);
        // Its log is the state file: an outage of the home announced before a restart is not announced again.
        seen.Alerts = HomeAlerts.Start(options, _admin, seen, store, time, logs);
        var health = seen.Monitor = _health = new HealthMonitor(time, logs.CreateLogger<HealthMonitor>());
        health.Transitioned += store.AddTransition;
        health.Probed += probe => seen.ProbeMetrics.Record(probe.Target.ToString(), probe.Result.Success, probe.Result.Latency);
        // Zones first: update policies without a zone are checked against how many are served.
        var zones = ZoneReport.Errors(_log, directory.Reload(), atStart: true);
        seen.ZoneFilesRead(zones.Errors.Count);
        var exchange = seen.Exchanges = _exchange = new ExchangeSetup(options, _responder, time, logs, () => [.. directory.Current.Zones.Select(z => z.Origin)]);
        // A primary NOTIFYs its followers once it answers their transfers (a restarted one: with its listeners, below).
        exchange.Exchange?.Hold();
        var publisher = seen.Publisher = _publisher = new Publisher(_responder, time, logs.CreateLogger<Publisher>(), composer: exchange.Exchange);
        exchange.Attach(publisher);
        _reloads = new Reloads(options, asRead, directory, publisher, exchange, _defences, seen, _log);
        var operations = Operations = new Operations(store, health, publisher, exchange.Exchange, _reloads, time);
        ZoneReport.Loaded(_log, zones, ZoneSet.Empty);
        foreach (var mistake in seen.ZoneWarnings = ZoneReport.Mistakes(directory, zones, options.Exchange.Secondaries.Count)) _log.LogWarning("Zones: {Warning}", mistake);
        publisher.SetZones(zones);
        publisher.SetPools(options.Pools);
        publisher.SetStoredEdges(store.Edges());
        publisher.SetOverrides(store.Overrides());
        publisher.SetEmergencies(store.Emergencies());
        var snapshot = await publisher.FlushAsync(cancellationToken);
        if (seen.NotReady(snapshot).Concat(exchange.Errors.Select(e => $"transfers/updates not configured: {e}")).ToList() is { Count: > 0 } problems)
        {
            // A typo plus a reboot must not take a name down quietly: refuse to start, unless asked to limp.
            if (!options.StartDegraded)
                throw new InvalidDataException($"not starting: {string.Join("; ", problems)} (fix it, or start anyway with --degraded / \"startDegraded\": true)");
            foreach (var problem in problems) _log.LogError("Starting degraded: {Problem}", problem);
        }
        publisher.PoolsChanged += pools => health.SetTargets(pools.Targets());
        health.SetTargets(snapshot.Pools.Targets());
        // Nobody is handed a dead edge at start-up: the first probe round ends before we answer.
        await health.WaitForFirstRoundAsync(cancellationToken);
        health.Changed += publisher.SetHealth;
        publisher.SetHealth(health.Current);
        publisher.SetGeo(GeoFile.Open(options, _log));
        await publisher.FlushAsync(cancellationToken);
        _responder.Exchanges.Log = logs.CreateLogger<ExchangeWorkers>();
        // The values were checked with the command line; what is left to fail here is reading the cookie secret.
        if (_defences.Apply(options.Rrl, options.Cookies) is { Count: > 0 } defenceErrors) throw new IOException(string.Join("; ", defenceErrors));
        publisher.SetDefences(_defences.Policy);
        foreach (var endpoint in options.Endpoints())
        {
            try { _listeners.Add(new DnsListener(endpoint, _responder, options.Transport, _log)); }
            catch (SocketException e) { throw new IOException(ListenFailure.Describe(endpoint, e), e); }
            _log.LogInformation("Serving DNS on {Endpoint} (UDP and TCP)", _listeners[^1].LocalEndPoint);
        }
        exchange.Exchange?.Release();
        _watchers.AddRange(ReloadTriggers.Start(options, time, directory.Watches, operations));
        seen.Ready = true;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        Observations.Ready = false;
        foreach (var watcher in _watchers) watcher.Dispose();
        _watchers.Clear();
        foreach (var listener in _listeners) listener.Dispose();
        _listeners.Clear();
        _responder.Exchanges.Dispose(); // after the listeners (nothing new comes), before the publisher an UPDATE in hand may wait for
        if (_health is not null) await _health.DisposeAsync();
        if (_publisher is not null) await _publisher.DisposeAsync();
        _exchange?.Dispose();
        if (Observations.Alerts is { } alerts) await alerts.DisposeAsync(); // before the state file it writes to
        Observations.Alerts = null;
        _store?.Dispose();
        _defences.Dispose();
        _reloads?.Stop(); // a watcher's timer may still fire: nothing to reload into
        _health = null;
        _publisher = null;
    }
}
