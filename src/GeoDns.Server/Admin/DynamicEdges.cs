using GeoDns.Persistence;
using GeoDns.Pools;
using GeoDns.Protocol;

namespace GeoDns.Server.Admin;

/// <summary>
/// Edges added and removed through the admin endpoint. They are kept in the store (so they survive a
/// restart), merged into the configured pools, probed at once, and answered once Up. The config file
/// owns its own edges: an added edge may not take a config edge's name, nor be removed here.
/// </summary>
public static class DynamicEdges
{
    public static async Task<IResult> AddAsync(DnsService s, TimeProvider time, string poolText, EdgeOptions body)
    {
        if (Find(s, poolText) is not { } pool) return NoPool(poolText);
        var edge = PoolSetBuilder.ValidateEdge(body, "api", out var errors);
        if (edge is null) return AdminJson.Errors(StatusCodes.Status422UnprocessableEntity, errors);
        var same = pool.Edges.FirstOrDefault(e => Same(e.Name, edge.Name));
        if (same is { Source: "config" })
            return AdminJson.Error(StatusCodes.Status409Conflict, $"pool {EdgeReport.PoolName(pool.Name)} already has edge '{same.Name}' from the config file");
        var elsewhere = s.Pools.Pools.SelectMany(p => p.Edges).FirstOrDefault(e => Same(e.Name, edge.Name) && (!Equals(e.Ipv4, edge.Ipv4) || !Equals(e.Ipv6, edge.Ipv6)));
        if (elsewhere is not null && elsewhere != same)
            return AdminJson.Error(StatusCodes.Status409Conflict, $"edge '{elsewhere.Name}' exists with other addresses; an edge name means one machine");
        var poolName = EdgeReport.PoolName(pool.Name);
        s.Store.AddEdge(new StoredEdge(poolName, edge.Name, edge.Ipv4?.ToString(), edge.Ipv6?.ToString(), edge.Latitude, edge.Longitude, edge.Country, edge.Weight,
            time.GetUtcNow()));
        s.RefreshPools($"edge {edge.Name} added to {poolName}");
        // The monitor probes new targets on its own; waiting for a probe here lets the reply show the edge's first state.
        await Task.WhenAll(edge.Addresses().Select(a => s.Health.ProbeNowAsync(edge.Target(a, pool.Probe)!)));
        var view = EdgeReport.Edges(s).FirstOrDefault(e => e.Pool == poolName && e.Name == edge.Name);
        return view is null
            ? AdminJson.Error(StatusCodes.Status500InternalServerError, $"edge '{edge.Name}' was stored but is not in the pool; see the server log")
            : AdminJson.Ok(view, same is null ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    public static IResult Remove(DnsService s, string poolText, string name)
    {
        if (Find(s, poolText) is not { } pool) return NoPool(poolText);
        var poolName = EdgeReport.PoolName(pool.Name);
        if (pool.Edges.FirstOrDefault(e => Same(e.Name, name)) is { Source: "config" } configured)
            return AdminJson.Error(StatusCodes.Status409Conflict, $"edge '{configured.Name}' comes from the config file; remove it there");
        if (!s.Store.RemoveEdge(poolName, name)) return AdminJson.Error(StatusCodes.Status404NotFound, $"pool {poolName} has no edge '{name}' added through the API");
        s.RefreshPools($"edge {name} removed from {poolName}");
        return AdminJson.Ok(new { removed = name, pool = poolName });
    }

    private static Pool? Find(DnsService s, string pool) => DnsName.TryParse(pool, out var name, out _) ? s.Pools.Find(name) : null;

    private static IResult NoPool(string pool) => AdminJson.Error(StatusCodes.Status404NotFound, $"no pool named '{pool}' (pools come from the config file)");

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
