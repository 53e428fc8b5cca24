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
        })
            .Change<IReadOnlyList<EdgeView>>("DrainEdge", AdminOpenApi.Edges, "Take an edge out of answers at once",
                "Kept in the state file across restarts. Applies to the edge of that name in every pool; the reply is its view in each.")
            .Body<DrainRequest>(optional: true).Fails(StatusCodes.Status404NotFound);
        app.MapDelete("/" + AdminPaths.Drain, async (string name, Operations operations, Observations o) => Views(o, name, await operations.SetDrainedAsync(name, false)))
            .Change<IReadOnlyList<EdgeView>>("UndrainEdge", AdminOpenApi.Edges, "Put a drained edge back into answers")
            .Fails(StatusCodes.Status404NotFound);
        app.MapPut("/" + AdminPaths.Force, async (string name, HttpRequest request, Operations operations, Observations o) =>
        {
            var (body, problem) = await AdminJson.ReadAsync<ForceRequest>(request, empty: null);
            if (problem is not null) return problem;
            HealthState? state = body!.State?.ToLowerInvariant() switch { "up" => HealthState.Up, "down" => HealthState.Down, _ => null };
            return state is null
                ? AdminJson.Errors(StatusCodes.Status422UnprocessableEntity, [$"state: '{body.State}' is not up or down"])
                : Views(o, name, await operations.SetForcedAsync(name, state, body.Reason));
        })
            .Change<IReadOnlyList<EdgeView>>("ForceEdge", AdminOpenApi.Edges, "Hold an edge up or down whatever its probes say",
                "Kept in the state file across restarts; 422 when state is not up or down.")
            .Body<ForceRequest>().Fails(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity);
        app.MapDelete("/" + AdminPaths.Force, async (string name, Operations operations, Observations o) => Views(o, name, await operations.SetForcedAsync(name, null)))
            .Change<IReadOnlyList<EdgeView>>("UnforceEdge", AdminOpenApi.Edges, "Let the probes decide an edge's state again")
            .Fails(StatusCodes.Status404NotFound);
        // The home sidecar's tunnel reports (Operations.SetTunnelAsync): "down" holds for holdSeconds unless renewed.
        app.MapPut("/" + AdminPaths.Tunnel, async (string name, HttpRequest request, Operations operations, Observations o) =>
        {
            var (body, problem) = await AdminJson.ReadAsync<TunnelRequest>(request, empty: null);
            if (problem is not null) return problem;
            if (body!.Problems() is { Count: > 0 } problems) return AdminJson.Errors(StatusCodes.Status422UnprocessableEntity, problems);
            return Views(o, name, await operations.SetTunnelAsync(name, body.IsDown() ? body.Reason ?? "reported by the home sidecar" : null, body.HoldTime()));
        })
            .Change<IReadOnlyList<EdgeView>>("ReportTunnel", AdminOpenApi.Edges, "The home sidecar's report of an edge's tunnel",
                "\"down\" counts the edge as Down for holdSeconds (default 60, 1 to 3600) unless reported again; \"up\" clears it. " +
                "Kept in memory only. 422 names each invalid key.")
            .Body<TunnelRequest>().Fails(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity);
        app.MapDelete("/" + AdminPaths.Tunnel, async (string name, Operations operations, Observations o) => Views(o, name, await operations.SetTunnelAsync(name, null, TimeSpan.Zero)))
            .Change<IReadOnlyList<EdgeView>>("ClearTunnel", AdminOpenApi.Edges, "Clear a tunnel-down report: the probes decide again")
            .Fails(StatusCodes.Status404NotFound);
        app.MapPost("/" + AdminPaths.PoolEdges, async (string pool, HttpRequest request, Operations operations, Observations o) =>
        {
            var (body, problem) = await AdminJson.ReadAsync<EdgeRequest>(request, empty: null);
            if (problem is not null) return problem;
            var outcome = await operations.AddEdgeAsync(pool, Options(body!));
            if (!outcome.Succeeded) return Failure(outcome);
            var view = EdgeReport.Edges(o, outcome.Snapshot).First(e => EdgeIdentity.SameName(e.Name, body!.Name ?? "") && e.Pool.Equals(pool.TrimEnd('.'), StringComparison.OrdinalIgnoreCase));
            return AdminJson.Ok(view, outcome.Status == OperationStatus.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        })
            .Change<EdgeView>("AddEdge", AdminOpenApi.Edges, "Add an edge to a pool at run time", status: StatusCodes.Status201Created,
                description: "Kept in the state file across restarts; answered once its probes find it Up. 201 once added; 200 when it replaced an edge of " +
                "that name added through the API before. 409 when the name is a config edge's or the address another edge's; 422 names each invalid key.")
            .Produces<EdgeView>(StatusCodes.Status200OK)
            .Body<EdgeRequest>().Fails(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        app.MapDelete("/" + AdminPaths.PoolEdge, async (string pool, string name, Operations operations, Observations o) =>
        {
            var outcome = await operations.RemoveEdgeAsync(pool, name);
            return outcome.Succeeded ? AdminJson.Ok(new RemovedEdgeView(name, pool.TrimEnd('.'))) : Failure(outcome);
        })
            .Change<RemovedEdgeView>("RemoveEdge", AdminOpenApi.Edges, "Remove an edge added through the API",
                "Config edges are removed in the config file: 409 for them; 404 for an unknown pool or edge.")
            .Fails(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
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
