using GeoDns.Contracts;
using GeoDns.Health;
using GeoDns.Pools;

namespace GeoDns.Server.Admin;

/// <summary>
/// The changes an operator makes to edges: drain and force (kept in the store, by edge name, across
/// pools), edges added or removed at run time (<see cref="DynamicEdges"/>), and the home sidecar's
/// tunnel reports (in memory, expiring). Each takes effect at once: the store is written, then the
/// answers republished.
/// </summary>
public static class EdgeEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPut("/" + AdminPaths.Drain, async (string name, HttpRequest request, Operations operations, Observations o) =>
        {
            var (body, problem) = await AdminJson.ReadAsync(request, empty: new DrainRequest(null));
            return problem ?? Views(o, name, await operations.SetDrainedAsync(name, true, body!.Reason));
        });
        app.MapDelete("/" + AdminPaths.Drain, async (string name, Operations operations, Observations o) => Views(o, name, await operations.SetDrainedAsync(name, false)));
        app.MapPut("/" + AdminPaths.Force, async (string name, HttpRequest request, Operations operations, Observations o) =>
        {
            var (body, problem) = await AdminJson.ReadAsync<ForceRequest>(request, empty: null);
            if (problem is not null) return problem;
            HealthState? state = body!.State?.ToLowerInvariant() switch { "up" => HealthState.Up, "down" => HealthState.Down, _ => null };
            return state is null
                ? AdminJson.Errors(StatusCodes.Status422UnprocessableEntity, [$"state: '{body.State}' is not up or down"])
                : Views(o, name, await operations.SetForcedAsync(name, state, body.Reason));
        });
        app.MapDelete("/" + AdminPaths.Force, async (string name, Operations operations, Observations o) => Views(o, name, await operations.SetForcedAsync(name, null)));
        // The home sidecar's tunnel reports (Operations.SetTunnelAsync): "down" holds for holdSeconds unless renewed.
        app.MapPut("/" + AdminPaths.Tunnel, async (string name, HttpRequest request, Operations operations, Observations o) =>
        {
            var (body, problem) = await AdminJson.ReadAsync<TunnelRequest>(request, empty: null);
            if (problem is not null) return problem;
            if (body!.Problems() is { Count: > 0 } problems) return AdminJson.Errors(StatusCodes.Status422UnprocessableEntity, problems);
            return Views(o, name, await operations.SetTunnelAsync(name, body.IsDown() ? body.Reason ?? "reported by the home sidecar" : null, body.HoldTime()));
        });
        app.MapDelete("/" + AdminPaths.Tunnel, async (string name, Operations operations, Observations o) => Views(o, name, await operations.SetTunnelAsync(name, null, TimeSpan.Zero)));
        app.MapPost("/" + AdminPaths.PoolEdges, async (string pool, HttpRequest request, Operations operations, Observations o) =>
        {
            var (body, problem) = await AdminJson.ReadAsync<EdgeRequest>(request, empty: null);
            if (problem is not null) return problem;
            var outcome = await operations.AddEdgeAsync(pool, Options(body!));
            if (!outcome.Succeeded) return Failure(outcome);
            var view = EdgeReport.Edges(o, outcome.Snapshot).First(e => EdgeIdentity.SameName(e.Name, body!.Name ?? "") && e.Pool.Equals(pool.TrimEnd('.'), StringComparison.OrdinalIgnoreCase));
            return AdminJson.Ok(view, outcome.Status == OperationStatus.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        });
        app.MapDelete("/" + AdminPaths.PoolEdge, async (string pool, string name, Operations operations, Observations o) =>
        {
            var outcome = await operations.RemoveEdgeAsync(pool, name);
            return outcome.Succeeded ? AdminJson.Ok(new { removed = name, pool = pool.TrimEnd('.') }) : Failure(outcome);
        });
    }

    /// <summary>The request as the config file's edge, so one validation covers both.</summary>
    private static EdgeOptions Options(EdgeRequest edge) => new()
    {
        Name = edge.Name ?? "",
        Ipv4 = edge.Ipv4,
        Ipv6 = edge.Ipv6,
        Latitude = edge.Latitude,
        Longitude = edge.Longitude,
        Country = edge.Country,
        Weight = edge.Weight,
    };

    /// <summary>The changed edge's views (one per pool holding it), as published by the change.</summary>
    private static IResult Views(Observations o, string name, OperationOutcome outcome) =>
        outcome.Succeeded ? AdminJson.Ok(EdgeReport.Edges(o, outcome.Snapshot).Where(e => EdgeIdentity.SameName(e.Name, name)).ToList()) : Failure(outcome);

    public static IResult Failure(OperationOutcome outcome) => AdminJson.Errors(outcome.Status switch
    {
        OperationStatus.NotFound => StatusCodes.Status404NotFound,
        OperationStatus.Conflict => StatusCodes.Status409Conflict,
        OperationStatus.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status422UnprocessableEntity,
    }, outcome.Errors);
}
