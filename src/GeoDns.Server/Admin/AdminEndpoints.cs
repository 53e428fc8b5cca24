using System.Net;
using GeoDns.Configuration;
using GeoDns.Contracts;
using GeoDns.Zones;
using Microsoft.OpenApi;

namespace GeoDns.Server.Admin;

/// <summary>
/// The admin endpoint's routes: the dashboard, health, the read-only views, metrics and explanations
/// here, changes in <see cref="EdgeEndpoints"/>. Every route but the dashboard page (which holds no
/// data) passes <see cref="TokenCheck"/> first.
/// </summary>
public static class AdminEndpoints
{
    public static void Map(WebApplication app)
    {
        app.Use(AdminGuard.Invoke);
        // A page for people, not part of the API: left out of the OpenAPI document.
        app.MapGet("/", () => Results.Content(Dashboard.Html, "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/healthz", Health)
            .Read<HealthView>("GetHealth", AdminOpenApi.Health, "Whether every zone and pool configured is answered",
                "200 \"ready\" while everything configured is answered, with warnings about what is served but worth a look (a lost state file, " +
                "an isolated nameserver, a failed zone reload, a pool's emergency answer on). 503 \"starting\" until the zones are loaded and the first probe round is done, " +
                "and \"degraded\" while a zone or pool is not loaded (a server started with --degraded).")
            .Produces<HealthView>(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/v1/pools", (Observations o) => AdminJson.Ok(EdgeReport.Pools(o)))
            .Read<IReadOnlyList<PoolView>>("ListPools", AdminOpenApi.Pools, "Every pool: its TTLs, answer count, allDown policy, exposure and edges");
        app.MapGet("/" + AdminPaths.Edges, (Observations o) => AdminJson.Ok(EdgeReport.EdgesWithCoverage(o)))
            .Read<IReadOnlyList<EdgeView>>("ListEdges", AdminOpenApi.Edges, "Every edge of every pool, with each address's health and the operator's override",
                "answersFor: the countries whose clients get the edge in their answer now (continent → ISO codes), each asked as a client at the country's centre.");
        app.MapGet("/v1/zones", (Observations o) => AdminJson.Ok(Zones(o, o.Snapshot)))
            .Read<ZonesView>("ListZones", AdminOpenApi.Zones, "The zones served, with serials and the errors of their files' last reload",
                "Also every error of the last reload (files not served at all among them), the zones this server is secondary for, and when the " +
                "zone files last loaded (reloadedAt) and last failed to (reloadFailedAt).");
        app.MapPost("/v1/zones/reload", async (Operations operations, Observations o) =>
        {
            var outcome = await operations.ReloadZonesAsync("admin API");
            var zones = Zones(o, outcome.Snapshot);
            return outcome.Succeeded
                ? AdminJson.Ok(zones)
                : AdminJson.Ok(new ReloadFailureView($"{zones.Errors.Count} zone file(s) not loaded; their previous versions are served", zones.Zones, zones.Errors),
                    StatusCodes.Status422UnprocessableEntity);
        })
            .Change<ZonesView>("ReloadZones", AdminOpenApi.Zones, "Reload the zone files now",
                "200 with the zones when every file loaded; 422 with each error's file and line when one did not (its previous version is still served).")
            .Produces<ReloadFailureView>(StatusCodes.Status422UnprocessableEntity);
        app.MapGet("/v1/events", Events)
            .Read<IReadOnlyList<EventView>>("ListEvents", AdminOpenApi.Events, "Health transitions of the probe targets and emergency switches of the pools, newest first")
            .Query(("skip", JsonSchemaType.Integer, "events to skip, 0 or more (default 0)"),
                ("take", JsonSchemaType.Integer, "events to return, 1 to 1000 (default 50)"),
                ("target", JsonSchemaType.String, "only this probe target's, e.g. tcp://127.0.0.11:8443, or this pool's emergency switch, e.g. app.example.com"))
            .Fails(StatusCodes.Status400BadRequest);
        app.MapGet("/v1/explain", (HttpContext context, Observations o) =>
        {
            var q = context.Request.Query;
            var given = q["client"].ToString();
            // Without ?client= the caller is the client: handy from a resolver's own machine.
            var client = given == "" ? context.Connection.RemoteIpAddress ?? IPAddress.Loopback : IPAddress.TryParse(given, out var parsed) ? parsed : null;
            if (client is null) return AdminJson.Error(StatusCodes.Status400BadRequest, $"client: '{given}' is not an IP address");
            var view = AnswerExplainer.Explain(o.Snapshot, q["name"], Given(q["type"]), client, Given(q["ecs"]), out var error);
            return view is null ? AdminJson.Error(StatusCodes.Status400BadRequest, error) : AdminJson.Ok(view);
        })
            .Read<ExplainView>("ExplainAnswer", AdminOpenApi.Explain, "Why a client gets the answer it gets",
                "Places the client as the query path does: the ECS subnet when given (looked up no finer than /24 or /56), else client " +
                "(default: the caller). For a pool: every edge address with its distance and state, which answer and in what order, why, " +
                "the TTL the answer carries now and why, and the ECS scope. For any other name: the zone file's records.")
            .Query(("name", JsonSchemaType.String, "the name asked, e.g. app.example.com (required)"),
                ("type", JsonSchemaType.String, "the record type asked (default A)"),
                ("client", JsonSchemaType.String, "the client's IP address (default: the caller's)"),
                ("ecs", JsonSchemaType.String, "an EDNS Client Subnet, e.g. 114.114.114.0/24"))
            .Fails(StatusCodes.Status400BadRequest);
        app.MapGet("/metrics", (Observations o, AdminBinding admin) => Results.Text(MetricsWriter.Write(o, admin), MetricsWriter.ContentType))
            .Read<string>("GetMetrics", AdminOpenApi.Metrics, "Prometheus metrics: queries, probes, edge states, reloads, the process's own costs",
                "The Prometheus text format; docs/admin-api.md lists what it exports.", MetricsWriter.ContentType);
        EdgeEndpoints.Map(app);
        EmergencyEndpoints.Map(app);
        DynamicRecordEndpoints.Map(app);
        AdminOpenApi.Map(app);
        app.MapFallback((HttpContext context) =>
            AdminJson.Error(StatusCodes.Status404NotFound, $"no such endpoint: {context.Request.Method} {context.Request.Path} (see GET /)"))
            .ExcludeFromDescription();
    }

    /// <summary>
    /// 200 while everything configured is answered; 503 with the reasons while starting, or while a zone or pool
    /// is not loaded (a server started with --degraded). A lost state file is named, but DNS is served: still 200.
    /// </summary>
    private static IResult Health(Observations o, AdminBinding binding, AdminSettings settings)
    {
        var version = ProgramVersion.Text;
        if (!o.Ready)
            return AdminJson.Ok(new HealthView("starting", version) { Error = "starting: zones or the first probe round not done yet" }, StatusCodes.Status503ServiceUnavailable);
        var snapshot = o.Snapshot;
        var problems = o.NotReady(snapshot);
        // The nameserver's own outage (HealthMonitor: Isolation) still answers, so it warns rather than fails; so does
        // a zone whose reload failed: its previous version is answered, but the edit is not live.
        var warnings = (o.StateLoss is { } loss ? new[] { $"state file: {loss}" } : [])
            .Concat(snapshot.Health.Isolated.Select(i => $"probes: no {(i.Key == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")} probe gets a reply since {i.Value:O}; this nameserver's network looks down, edges are held"))
            .Concat(snapshot.Zones.Zones.Select(z => (Zone: z, Errors: ErrorsOf(snapshot.Zones, z))).Where(z => z.Errors.Count > 0)
                .Select(z => $"zone {z.Zone.Origin}: reload failed: {string.Join("; ", z.Errors)}; its previous version (serial {z.Zone.Serial}) is served"))
            .Concat(o.ZoneWarnings.Select(w => $"zones: {w}"))
            .Concat(o.ExchangeErrors.Select(e => $"config: {e}; the last good keys, transfers and updates are kept"))
            .Concat(o.ServingWarnings)
            .Concat(HomeWarning(o))
            .Concat(EmergencyWarnings(snapshot))
            .ToArray();
        var admin = AdminListenerView.Of(binding);
        var home = settings.Token is null ? null : new HomeView(o.Home.LastContact, Math.Round(o.Home.Silence.TotalSeconds, 1), o.Alerts?.Watch.Silent ?? false);
        return problems.Count > 0
            ? AdminJson.Ok(new HealthView("degraded", version) { Error = string.Join("; ", problems), Problems = problems, Warnings = warnings, Admin = admin, Home = home }, StatusCodes.Status503ServiceUnavailable)
            : AdminJson.Ok(new HealthView("ready", version) { Zones = snapshot.Zones.Zones.Count, Pools = snapshot.Pools.Pools.Count, Warnings = warnings, Admin = admin, Home = home });
    }

    /// <summary>While this nameserver reports the home silent: since when, and that it said so on its channels.</summary>
    private static IEnumerable<string> HomeWarning(Observations o)
    {
        if (o.Alerts?.Watch.Silent != true) yield break;
        var since = o.Home.LastContact is { } last ? $"no request with the admin token since {last:O}" : $"no request with the admin token since the start ({o.Home.SilentSince:O})";
        yield return $"home: not reached for {Alerts.HomeWatch.Span(o.Home.Silence)}: {since}; this nameserver has alerted on its own channels";
    }

    /// <summary>Each pool whose emergency switch is on: its edges are not answered until it is off, which every dashboard must show.</summary>
    private static IEnumerable<string> EmergencyWarnings(GeoDns.Answering.Snapshot snapshot) =>
        snapshot.Routes.Pools.Where(r => r.Emergency is not null).Select(r => r.AnswersEmergency
            ? EdgeReport.Emergency(r).Warning()
            : $"pool {EdgeReport.PoolName(r.Pool.Name)}: the emergency switch is on since {r.Emergency!.Since.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, but the pool has no emergency or " +
              "fallback records (the config changed), so its edges are answered: give it records, or turn the switch off");

    /// <summary>The last reload's errors in the file <paramref name="zone"/> was loaded from (the zone served is then its previous version).</summary>
    private static List<ZoneError> ErrorsOf(ZoneSet zones, Zone zone) => [.. zones.Errors.Where(e => e.File == zone.File)];

    private static IResult Events(HttpRequest request, Observations o)
    {
        var q = request.Query;
        if (!Number(q["skip"], 0, out var skip) || skip < 0) return AdminJson.Error(StatusCodes.Status400BadRequest, $"skip: '{q["skip"]}' is not a number of 0 or more");
        if (!Number(q["take"], 50, out var take) || take is < 1 or > 1000) return AdminJson.Error(StatusCodes.Status400BadRequest, $"take: '{q["take"]}' is not a number from 1 to 1000");
        var target = q["target"].ToString() is { Length: > 0 } t ? t : null;
        var edges = EdgeReport.EdgesByTarget(o.Snapshot);
        // The two histories merged newest first: the first skip + take of each hold the page.
        var upTo = (int)Math.Min((long)skip + take, int.MaxValue);
        var transitions = o.Transitions(0, upTo, target).Select(e => new EventView(e.Target, edges.GetValueOrDefault(e.Target) ?? [], e.From, e.To, e.Reason,
            e.Latency is { } latency ? Math.Round(latency.TotalMilliseconds, 2) : null, e.At));
        var switches = o.EmergencyEvents(upTo).Where(e => target is null || e.Pool.Equals(target.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
            .Select(e => new EventView(e.Pool, [], null, null, e.On ? $"emergency answer on{(e.Reason is { Length: > 0 } why ? $": {why}" : "")}" : "emergency answer off", null, e.At)
            { Emergency = e.On ? "on" : "off" });
        return AdminJson.Ok(transitions.Concat(switches).OrderByDescending(e => e.At).Skip(skip).Take(take).ToList());
    }

    private static string? Given(Microsoft.Extensions.Primitives.StringValues text) => text.ToString() is { Length: > 0 } value ? value : null;

    private static bool Number(Microsoft.Extensions.Primitives.StringValues text, int fallback, out int value)
    {
        value = fallback;
        return text.Count == 0 || int.TryParse(text.ToString(), out value);
    }

    /// <summary>Each zone of <paramref name="snapshot"/> with the serial it is answered with there, its dynamic records when the exchange runs,
    /// and the errors of its file's last reload.</summary>
    private static ZonesView Zones(Observations o, GeoDns.Answering.Snapshot snapshot) =>
        new([.. snapshot.Zones.Zones.Select(z => new ZoneView(z.Origin.ToString(), z.Serial, z.Records.Count, z.LoadedAt, z.File)
        {
            ServedSerial = o.ServedSerial(snapshot, z.Origin),
            Dynamic = o.DynamicRecords(z.Origin) is { } dynamic ? [.. dynamic.Select(RecordText.Format)] : null,
            Errors = ErrorsOf(snapshot.Zones, z),
        })], snapshot.Zones.Errors)
        {
            Secondaries = o.Secondaries,
            ReloadedAt = o.ZoneReloads.Loaded,
            ReloadFailedAt = o.ZoneReloads.Failed,
        };
}
