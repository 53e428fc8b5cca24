using GeoDns.Answering;
using GeoDns.Diagnostics;
using GeoDns.Geo;
using GeoDns.Health;
using GeoDns.Pools;
using GeoDns.Zones;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoDns.Publishing;

/// <summary>
/// The one place where zones, pool config, stored edges, overrides, health and geo become answers.
/// Inputs are handed in from any thread and never wait; two loops publish one immutable
/// <see cref="Snapshot"/> at a time into the <see cref="Responder"/>:
/// <list type="bullet">
/// <item>the <b>static lane</b> (zones, pool config, stored edges) builds a whole new answer table aside,
/// which takes about a second for 100,000 records;</item>
/// <item>the <b>route lane</b> (health, drains, forced states, geo) recomputes the pools' routes and swaps
/// only the changed pools' slots in the current table: its cost grows with the pool, not with the zones.
/// It publishes at most once per <c>coalesce</c> interval, so a burst of probe results is one publish.</item>
/// </list>
/// The lanes share a short lock only to swap, so probe results are never applied behind a table build.
/// </summary>
public sealed class Publisher : IAsyncDisposable
{
    public static readonly TimeSpan DefaultCoalesce = TimeSpan.FromMilliseconds(200);

    private readonly Responder _responder;
    private readonly TimeProvider _time;
    private readonly TimeSpan _coalesce;
    private readonly ILogger _log;
    private readonly Lock _inputsGate = new();
    private readonly Lock _swapping = new();
    private readonly Lane _static = new(), _routes = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;
    private PublisherInputs _inputs = PublisherInputs.Empty;
    private IReadOnlyList<PoolOptions> _goodPoolOptions = [];
    private TaskCompletionSource _published = NewSignal();
    private long _generation;
    private RoutingTable? _judged;
    private readonly IZoneComposer? _composer;

    /// <param name="composer">What transfers, updates and secondaries add to the zones (null when none is configured).</param>
    public Publisher(Responder responder, TimeProvider time, ILogger<Publisher>? log = null, TimeSpan? coalesce = null, IZoneComposer? composer = null)
    {
        _responder = responder;
        _composer = composer;
        _time = time;
        _coalesce = coalesce ?? DefaultCoalesce;
        _log = log ?? (ILogger)NullLogger.Instance;
        _loops = [Task.Run(StaticLoopAsync), Task.Run(RouteLoopAsync)];
    }

    /// <summary>Publishes per lane and the CPU they took (<c>geodns_publish_cpu_seconds_total</c>).</summary>
    public PublishMetrics Metrics { get; } = new();

    /// <summary>The last published snapshot: what queries are answered from.</summary>
    public Snapshot Current => _responder.Snapshot;

    /// <summary>Raised (on a publisher thread) after a static publish whose pool set differs from the one before, e.g. to probe new edges.</summary>
    public event Action<PoolSet>? PoolsChanged;

    /// <summary>Raised (on a publisher thread, outside its locks) after each publish of either lane; the zone exchange
    /// watches it for pool answers that moved, since transfers carry them.</summary>
    public event Action<Snapshot>? Published;

    public void SetZones(ZoneSet zones) => Change(i => i with { Zones = zones }, _static);

    /// <summary>What the composer adds to the zones changed (a dynamic record, a secondary's new copy): compose and build again.</summary>
    public void Recompose() => Change(i => i, _static);

    /// <summary>Only served serials moved (nothing the answers read otherwise): the route lane writes them into the current table.</summary>
    public void SerialsMoved() => _routes.Request();

    /// <summary>The config's pools; <paramref name="fileError"/> (the config file could not be read) keeps the pools given before.</summary>
    public void SetPools(IReadOnlyList<PoolOptions>? options, string? fileError = null) =>
        Change(i => i with { PoolOptions = options ?? i.PoolOptions, ConfigFileError = fileError }, _static);

    public void SetStoredEdges(IReadOnlyList<StoredEdge> edges) => Change(i => i with { StoredEdges = edges }, _static);

    public void SetHealth(HealthReport health) => Change(i => i with { Health = health, HealthKnown = true }, _routes);

    public void SetOverrides(IReadOnlyDictionary<string, EdgeOverride> overrides) => Change(i => i with { Overrides = overrides }, _routes);

    /// <summary>The pools' emergency switches that are on, by <see cref="EmergencySwitch.Key"/>: a route change, as a drain is.</summary>
    public void SetEmergencies(IReadOnlyDictionary<string, EmergencySwitch> emergencies) => Change(i => i with { Emergencies = emergencies }, _routes);

    public void SetGeo(GeoDatabase? geo) => Change(i => i with { Geo = geo }, _routes);

    /// <summary>The RRL and cookie settings now in force (applied to the responder by the host), carried by the next snapshots.</summary>
    public void SetDefences(DefencePolicy policy) => Change(i => i with { Defences = policy }, _routes);

    /// <summary>Completes once everything handed in before the call is published, and returns that snapshot.</summary>
    public async Task<Snapshot> FlushAsync(CancellationToken cancellationToken = default)
    {
        var (staticWanted, routesWanted) = (_static.Requested, _routes.Requested);
        while (true)
        {
            var next = Volatile.Read(ref _published).Task; // taken before looking, so a publish in between is not missed
            if (_static.Done >= staticWanted && _routes.Done >= routesWanted) return Current;
            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            await next.WaitAsync(cancellationToken);
        }
    }

    private void Change(Func<PublisherInputs, PublisherInputs> change, Lane lane)
    {
        lock (_inputsGate) _inputs = change(_inputs);
        lane.Request();
    }

    private PublisherInputs Inputs
    {
        get { lock (_inputsGate) return _inputs; }
    }

    private async Task StaticLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            long generation;
            try { generation = await _static.NextAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            try { Metrics.Measure("static", BuildAndPublish); }
            catch (Exception e) { _log.LogError(e, "Publishing failed; the previous answers are kept"); }
            _static.Complete(generation);
            Signal();
        }
    }

    private void BuildAndPublish()
    {
        var inputs = Inputs;
        var previous = Current;
        var zones = _composer?.Gather(inputs.Zones) ?? inputs.Zones;
        var (pools, errors) = BuildPools(inputs, zones, previous.Pools);
        if (_composer is { } composer) zones = composer.Compose(zones, RoutingTableBuilder.Build(pools, inputs.Health, inputs.Overrides, inputs.Emergencies));
        // The long part, outside every lock: probe results meanwhile go to the current table.
        var table = AnswerTableBuilder.Build(zones, pools.Pools.Select(p => p.Name));
        lock (_swapping)
        {
            var routesWanted = _routes.Requested;
            var now = Inputs; // the newest health and overrides, not those of when the build began
            var routes = RoutingTableBuilder.Build(pools, now.Health, now.Overrides, now.Emergencies);
            foreach (var route in routes.Pools) AnswerTableBuilder.Apply(table, route);
            FollowSerials(table, routes);
            Swap(new Snapshot(++_generation, zones, pools, routes, table, now.Geo, errors) { Health = now.Health, Overrides = now.Overrides, Defences = now.Defences }, previous, now.HealthKnown);
            _routes.Complete(routesWanted);
        }
        if (!ReferenceEquals(pools, previous.Pools)) PoolsChanged?.Invoke(pools);
    }

    private async Task RouteLoopAsync()
    {
        var last = DateTimeOffset.MinValue;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _routes.NextAsync(_stop.Token);
                // Coalesce: a burst of probe results (a storm, a flapping edge) becomes one publish per interval.
                var wait = last + _coalesce - _time.GetUtcNow();
                if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, _stop.Token);
            }
            catch (OperationCanceledException) { return; }
            try
            {
                lock (_swapping)
                {
                    var generation = _routes.Requested;
                    Metrics.Measure("routes", ApplyRoutes);
                    _routes.Complete(generation);
                }
            }
            catch (Exception e) { _log.LogError(e, "Publishing failed; the previous answers are kept"); }
            last = _time.GetUtcNow();
            Signal();
        }
    }

    /// <summary>New routes on the current table: only pools whose edges' states changed are re-rendered.</summary>
    private void ApplyRoutes()
    {
        var inputs = Inputs;
        var current = Current;
        var routes = RoutingTableBuilder.Build(current.Pools, inputs.Health, inputs.Overrides, inputs.Emergencies);
        foreach (var route in routes.Pools)
            if (current.Routes.Find(route.Pool.Name) is not { } before || !Same(before, route))
                AnswerTableBuilder.Apply(current.Table, route);
        FollowSerials(current.Table, routes);
        Swap(current with { Generation = ++_generation, Routes = routes, Geo = inputs.Geo, Health = inputs.Health, Overrides = inputs.Overrides, Defences = inputs.Defences }, current, inputs.HealthKnown);
    }

    /// <summary>Where zones are transferred, their pools' records (and so their serials) follow the routes: the table's serials move with them.</summary>
    private void FollowSerials(AnswerTable table, RoutingTable routes)
    {
        if (_composer is null) return;
        foreach (var (origin, serial) in _composer.Follow(routes)) table.SetSerial(origin, serial);
    }

    private static bool Same(PoolRoute a, PoolRoute b) =>
        ReferenceEquals(a.Pool, b.Pool) && a.AllDown == b.AllDown && a.Ttl == b.Ttl && a.Emergency == b.Emergency && a.Edges.SequenceEqual(b.Edges);

    private void Swap(Snapshot next, Snapshot previous, bool healthKnown)
    {
        _responder.Snapshot = next;
        // Pools are judged all down, or healthy again, only against routes made with health known: the start's
        // publish before the first probe round would otherwise warn of every pool, and the round then "heal" them.
        if (healthKnown)
        {
            foreach (var route in next.Routes.Pools)
            {
                var before = _judged?.Find(route.Pool.Name);
                if (route.AllDown && before is not { AllDown: true })
                    PublisherLog.AllDown(_log, route.Pool.Name, route.Pool.AllDown, route.Records.Count);
                else if (!route.AllDown && before is { AllDown: true })
                    PublisherLog.Healthy(_log, route.Pool.Name, route.Records.Count);
            }
            _judged = next.Routes;
        }
        foreach (var route in next.Routes.Pools)
        {
            var before = previous.Routes.Find(route.Pool.Name)?.Emergency;
            if (route.Emergency is { } on && on != before)
            {
                if (route.AnswersEmergency) PublisherLog.EmergencyOn(_log, route.Pool.Name, on.Since, on.Reason ?? "no reason given", route.Records.Count);
                else PublisherLog.EmergencyEmpty(_log, route.Pool.Name);
            }
            else if (route.Emergency is null && before is not null) PublisherLog.EmergencyOff(_log, route.Pool.Name);
        }
        if (!ReferenceEquals(next.Geo, previous.Geo))
        {
            if (next.Geo is { } geo) PublisherLog.GeoOn(_log, geo.Path, geo.DatabaseType, geo.BuildTime);
            else if (previous.Geo is not null) PublisherLog.GeoOff(_log);
        }
    }

    /// <summary>The pool set for these inputs; a config with errors keeps the last good pool options (re-validated against today's zones).</summary>
    private (PoolSet Pools, IReadOnlyList<string> Errors) BuildPools(PublisherInputs inputs, ZoneSet zones, PoolSet previous)
    {
        var errors = new List<string>();
        if (inputs.ConfigFileError is { } fileError) errors.Add(fileError);
        var skipped = new List<string>();
        var (pools, poolErrors) = PoolSetBuilder.Build(inputs.PoolOptions, zones, inputs.StoredEdges, skipped);
        if (poolErrors.Count == 0) _goodPoolOptions = inputs.PoolOptions;
        else
        {
            errors.AddRange(poolErrors);
            foreach (var error in poolErrors) PublisherLog.PoolsRejected(_log, error);
            skipped.Clear();
            (pools, var stillBad) = PoolSetBuilder.Build(_goodPoolOptions, zones, inputs.StoredEdges, skipped);
            if (stillBad.Count > 0) pools = previous; // not even the last good options fit these zones: keep what is answered
        }
        foreach (var note in skipped) PublisherLog.Skipped(_log, note);
        if (SamePools(pools, previous)) return (previous, errors);
        foreach (var pool in pools.Pools) PublisherLog.Exposure(_log, pool);
        return (pools, errors);
    }

    private static bool SamePools(PoolSet a, PoolSet b) =>
        a.Pools.Count == b.Pools.Count && a.Pools.Zip(b.Pools).All(p => p.First.Name == p.Second.Name && p.First.Edges.SequenceEqual(p.Second.Edges) &&
            p.First.Probe == p.Second.Probe && p.First.Ttl == p.Second.Ttl && p.First.DegradedTtl == p.Second.DegradedTtl && p.First.AllDown == p.Second.AllDown && p.First.Answers == p.Second.Answers && p.First.Transfer == p.Second.Transfer &&
            p.First.Fallback.SequenceEqual(p.Second.Fallback) && p.First.Regions.Count == p.Second.Regions.Count &&
            p.First.Regions.All(r => p.Second.Regions.TryGetValue(r.Key, out var other) && r.Value.SequenceEqual(other)));

    private void Signal()
    {
        Interlocked.Exchange(ref _published, NewSignal()).TrySetResult();
        try { _composer?.Announce(); }
        catch (Exception e) { _log.LogError(e, "Announcing new zone versions failed"); }
        try { Published?.Invoke(Current); }
        catch (Exception e) { _log.LogError(e, "A Published handler failed"); }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        Signal();
        _stop.Dispose();
    }
}
