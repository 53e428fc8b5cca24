using System.Net;
using GeoDns.Configuration;
using GeoDns.Contracts;
using GeoDns.Zones;

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
        app.MapGet("/", () => Results.Content(Dashboard.Html, "text/html; charset=utf-8"));
        app.MapGet("/healthz", Health);
        app.MapGet("/v1/pools", (Observations o) => AdminJson.Ok(EdgeReport.Pools(o)));
        app.MapGet("/" + AdminPaths.Edges, (Observations o) => AdminJson.Ok(EdgeReport.Edges(o)));
        app.MapGet("/v1/zones", (Observations o) => AdminJson.Ok(Zones(o, o.Snapshot.Zones)));
        app.MapPost("/v1/zones/reload", async (Operations operations, Observations o) =>
        {
            var outcome = await operations.ReloadZonesAsync("admin API");
            var zones = Zones(o, outcome.Snapshot.Zones);
            return outcome.Succeeded
                ? AdminJson.Ok(zones)
                : Results.Json(new { error = $"{zones.Errors.Count} zone file(s) not loaded; their previous versions are served", zones.Zones, zones.Errors },
                    AdminJson.Options, statusCode: StatusCodes.Status422UnprocessableEntity);
        });
        app.MapGet("/v1/events", Events);
        app.MapGet("/v1/explain", (HttpContext context, Observations o) =>
        {
            var q = context.Request.Query;
            var given = q["client"].ToString();
            // Without ?client= the caller is the client: handy from a resolver's own machine.
            var client = given == "" ? context.Connection.RemoteIpAddress ?? IPAddress.Loopback : IPAddress.TryParse(given, out var parsed) ? parsed : null;
            if (client is null) return AdminJson.Error(StatusCodes.Status400BadRequest, $"client: '{given}' is not an IP address");
            var view = AnswerExplainer.Explain(o.Snapshot, q["name"], Given(q["type"]), client, Given(q["ecs"]), out var error);
            return view is null ? AdminJson.Error(StatusCodes.Status400BadRequest, error) : AdminJson.Ok(view);
        });
        app.MapGet("/metrics", (Observations o, AdminBinding admin) => Results.Text(MetricsWriter.Write(o, admin), MetricsWriter.ContentType));
        EdgeEndpoints.Map(app);
        DynamicRecordEndpoints.Map(app);
        app.MapFallback((HttpContext context) =>
            AdminJson.Error(StatusCodes.Status404NotFound, $"no such endpoint: {context.Request.Method} {context.Request.Path} (see GET /)"));
    }

    /// <summary>
    /// 200 while everything configured is answered; 503 with the reasons while starting, or while a zone or pool
    /// is not loaded (a server started with --degraded). A lost state file is named, but DNS is served: still 200.
    /// </summary>
    private static IResult Health(Observations o, AdminBinding binding)
    {
        var version = ProgramVersion.Text;
        if (!o.Ready)
            return Results.Json(new { status = "starting", version, error = "starting: zones or the first probe round not done yet" }, AdminJson.Options, statusCode: StatusCodes.Status503ServiceUnavailable);
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
            .ToArray();
        var admin = new { listening = binding.Listening, bindFailures = binding.Failures, lastBindError = binding.LastError };
        return problems.Count > 0
            ? Results.Json(new { status = "degraded", version, error = string.Join("; ", problems), problems, warnings, admin }, AdminJson.Options, statusCode: StatusCodes.Status503ServiceUnavailable)
            : AdminJson.Ok(new { status = "ready", version, zones = snapshot.Zones.Zones.Count, pools = snapshot.Pools.Pools.Count, warnings, admin });
    }

    /// <summary>The last reload's errors in the file <paramref name="zone"/> was loaded from (the zone served is then its previous version).</summary>
    private static List<ZoneError> ErrorsOf(ZoneSet zones, Zone zone) => [.. zones.Errors.Where(e => e.File == zone.File)];

    private static IResult Events(HttpRequest request, Observations o)
    {
        var q = request.Query;
        if (!Number(q["skip"], 0, out var skip) || skip < 0) return AdminJson.Error(StatusCodes.Status400BadRequest, $"skip: '{q["skip"]}' is not a number of 0 or more");
        if (!Number(q["take"], 50, out var take) || take is < 1 or > 1000) return AdminJson.Error(StatusCodes.Status400BadRequest, $"take: '{q["take"]}' is not a number from 1 to 1000");
        var target = q["target"].ToString() is { Length: > 0 } t ? t : null;
        var edges = EdgeReport.EdgesByTarget(o.Snapshot);
        return AdminJson.Ok(o.Transitions(skip, take, target).Select(e => new EventView(e.Target, edges.GetValueOrDefault(e.Target) ?? [], e.From, e.To, e.Reason,
            e.Latency is { } latency ? Math.Round(latency.TotalMilliseconds, 2) : null, e.At)).ToList());
    }

    private static string? Given(Microsoft.Extensions.Primitives.StringValues text) => text.ToString() is { Length: > 0 } value ? value : null;

    private static bool Number(Microsoft.Extensions.Primitives.StringValues text, int fallback, out int value)
    {
        value = fallback;
        return text.Count == 0 || int.TryParse(text.ToString(), out value);
    }

    /// <summary>Each zone with the serial it is served under, its dynamic records when the exchange runs, and the errors of its file's last reload.</summary>
    private static ZonesView Zones(Observations o, ZoneSet zones) =>
        new([.. zones.Zones.Select(z => new ZoneView(z.Origin.ToString(), z.Serial, z.Records.Count, z.LoadedAt, z.File)
        {
            ServedSerial = o.Exchange?.Served.Find(z.Origin)?.Version.Serial,
            Dynamic = o.Exchange is { } x ? [.. x.Dynamic.For(z.Origin).Select(RecordText.Format)] : null,
            Errors = ErrorsOf(zones, z),
        })], zones.Errors)
        {
            Secondaries = o.Exchange is { } x ? [.. x.SecondaryZones.Select(SecondaryView.Of)] : null,
        };
}
