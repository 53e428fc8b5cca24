using GeoDns.Health;
using GeoDns.Pools;

namespace GeoDns.Server.Admin;

/// <summary>
/// The changes an operator makes to edges: drain and force (kept in the store, by edge name, across
/// pools), and edges added or removed at run time (<see cref="DynamicEdges"/>). Each takes effect at
/// once: the store is written, then the answers republished.
/// </summary>
public static class EdgeEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPut("/v1/edges/{name}/drain", async (string name, HttpRequest request, DnsService s) =>
        {
            var (body, problem) = await AdminJson.ReadAsync(request, empty: new DrainRequest(null));
            return problem ?? Change(s, name, edge => s.Store.SetDrained(edge, true, body!.Reason));
        });
        app.MapDelete("/v1/edges/{name}/drain", (string name, DnsService s) => Change(s, name, edge => s.Store.SetDrained(edge, false)));
        app.MapPut("/v1/edges/{name}/force", async (string name, HttpRequest request, DnsService s) =>
        {
            var (body, problem) = await AdminJson.ReadAsync<ForceRequest>(request, empty: null);
            if (problem is not null) return problem;
            HealthState? state = body!.State?.ToLowerInvariant() switch { "up" => HealthState.Up, "down" => HealthState.Down, _ => null };
            return state is null
                ? AdminJson.Errors(StatusCodes.Status422UnprocessableEntity, [$"state: '{body.State}' is not up or down"])
                : Change(s, name, edge => s.Store.SetForced(edge, state, body.Reason));
        });
        app.MapDelete("/v1/edges/{name}/force", (string name, DnsService s) => Change(s, name, edge => s.Store.SetForced(edge, null)));
        app.MapPost("/v1/pools/{pool}/edges", async (string pool, HttpRequest request, DnsService s, TimeProvider time) =>
        {
            var (body, problem) = await AdminJson.ReadAsync<EdgeOptions>(request, empty: null);
            return problem ?? await DynamicEdges.AddAsync(s, time, pool, body!);
        });
        app.MapDelete("/v1/pools/{pool}/edges/{name}", (string pool, string name, DnsService s) => DynamicEdges.Remove(s, pool, name));
    }

    /// <summary>Applies an override to the edge of that name (in every pool holding it) and answers with its views.</summary>
    private static IResult Change(DnsService s, string name, Action<string> change)
    {
        var edge = s.Pools.Pools.SelectMany(p => p.Edges).FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
        if (edge is null) return AdminJson.Error(StatusCodes.Status404NotFound, $"no edge named '{name}' in any pool");
        change(edge.Name);
        s.Publish();
        return AdminJson.Ok(EdgeReport.Edges(s).Where(e => e.Name == edge.Name).ToList());
    }
}
