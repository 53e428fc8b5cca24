using GeoDns.Protocol;

namespace GeoDns.Pools;

/// <summary>Adds the edges stored at run time to the configured pools; the config wins every clash.</summary>
public static class StoredEdges
{
    public static PoolSet Merge(PoolSet pools, IReadOnlyList<StoredEdge> stored, ICollection<string>? skipped)
    {
        var byName = pools.Pools.SelectMany(p => p.Edges).GroupBy(e => e.Name, EdgeIdentity.Names)
            .ToDictionary(g => g.Key, g => g.First(), EdgeIdentity.Names);
        var merged = pools.Pools.ToDictionary(p => p.Name, p => p.Edges.ToList());
        foreach (var s in stored)
        {
            var where = $"stored edge '{s.Name}' of pool {s.Pool}";
            var pool = DnsName.TryParse(s.Pool, out var poolName, out _) ? pools.Find(poolName) : null;
            var edge = PoolSetBuilder.ValidateEdge(ToOptions(s), "api", out var errors);
            if (pool is null) skipped?.Add($"{where}: the pool is not in the config (the edge is kept, and returns with the pool)");
            else if (edge is null) skipped?.Add($"{where}: {string.Join("; ", errors)}");
            else if (merged[pool.Name].Any(e => EdgeIdentity.SameName(e.Name, edge.Name)))
                skipped?.Add($"{where}: the pool already has an edge of that name (the config wins)");
            else if (byName.TryGetValue(edge.Name, out var other) && EdgeIdentity.Conflicts(other, edge))
                skipped?.Add($"{where}: {EdgeIdentity.Message(other)}");
            else
            {
                merged[pool.Name].Add(edge);
                byName.TryAdd(edge.Name, edge);
            }
        }
        return new PoolSet(pools.Pools.Select(p => p with { Edges = merged[p.Name] }).ToList());
    }

    public static EdgeOptions ToOptions(StoredEdge e) => new()
    {
        Name = e.Name,
        Ipv4 = e.Ipv4,
        Ipv6 = e.Ipv6,
        Latitude = e.Latitude,
        Longitude = e.Longitude,
        Country = e.Country,
        Weight = e.Weight,
    };
}
