using GeoDns.Contracts;
using GeoDns.Pools;
using GeoDns.Protocol;

namespace GeoDns.Server.Admin;

/// <summary>
/// A pool's emergency switch: on, the pool answers its emergency records (the config's <c>emergency</c>, else its
/// <c>fallback</c>) instead of its edges until it is turned off. Kept in the state file; each change is answered at once.
/// </summary>
public static class EmergencyEndpoints
{
    /// <summary>A reason is for people reading a dashboard or an alert: a sentence, not a document.</summary>
    public const int MaxReason = 200;

    public static void Map(WebApplication app)
    {
        app.MapGet("/" + AdminPaths.Emergency, (string pool, Observations o) =>
            Find(o.Snapshot.Routes, pool) is { } route ? AdminJson.Ok(EdgeReport.Emergency(route)) : NoPool(pool))
            .Read<EmergencyView>("GetEmergency", AdminOpenApi.Pools, "Whether a pool's emergency answer is on, since when and why, and its records")
            .Fails(StatusCodes.Status404NotFound);
        app.MapPut("/" + AdminPaths.Emergency, async (string pool, HttpRequest request, Operations operations) =>
        {
            var (body, problem) = await AdminJson.ReadAsync(request, empty: new EmergencyRequest(null));
            if (problem is not null) return problem;
            if (body!.Reason is { Length: > MaxReason }) return AdminJson.Error(StatusCodes.Status422UnprocessableEntity, $"reason: at most {MaxReason} characters");
            return View(pool, await operations.SetEmergencyAsync(pool, true, string.IsNullOrWhiteSpace(body.Reason) ? null : body.Reason.Trim()));
        })
            .Change<EmergencyView>("EmergencyOn", AdminOpenApi.Pools, "Answer a pool with its emergency records instead of its edges",
                "Until turned off, at once, and across restarts and reloads (kept in the state file). The records are the pool's emergency, " +
                "else its fallback, with its degraded TTL. 409 when the pool has neither; turning on a switch that is on keeps its since " +
                "(a reason given replaces the one kept).")
            .Body<EmergencyRequest>(optional: true).Fails(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        app.MapDelete("/" + AdminPaths.Emergency, async (string pool, Operations operations) => View(pool, await operations.SetEmergencyAsync(pool, false)))
            .Change<EmergencyView>("EmergencyOff", AdminOpenApi.Pools, "Answer a pool with its edges again", "200 whether or not it was on.")
            .Fails(StatusCodes.Status404NotFound);
    }

    /// <summary>The pool's switch as published by the change; a pool the config has dropped is shown off, with no records.</summary>
    private static IResult View(string pool, OperationOutcome outcome) =>
        !outcome.Succeeded ? EdgeEndpoints.Failure(outcome)
        : Find(outcome.Snapshot.Routes, pool) is { } route ? AdminJson.Ok(EdgeReport.Emergency(route))
        : AdminJson.Ok(new EmergencyView(pool.TrimEnd('.'), false, null, null, []));

    private static PoolRoute? Find(RoutingTable routes, string pool) =>
        DnsName.TryParse(pool, out var name, out _) ? routes.Find(name) : null;

    private static IResult NoPool(string pool) => AdminJson.Error(StatusCodes.Status404NotFound, $"no pool named '{pool}' (pools come from the config file)");
}
