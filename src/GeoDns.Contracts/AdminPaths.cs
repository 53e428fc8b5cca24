namespace GeoDns.Contracts;

/// <summary>The admin API's routes, relative to its base address: the endpoints are mapped from these and the client calls them.</summary>
public static class AdminPaths
{
    public const string Edges = "v1/edges";
    public const string Drain = "v1/edges/{name}/drain";
    public const string Force = "v1/edges/{name}/force";
    public const string Tunnel = "v1/edges/{name}/tunnel";
    public const string PoolEdges = "v1/pools/{pool}/edges";
    public const string PoolEdge = "v1/pools/{pool}/edges/{name}";
    public const string Emergency = "v1/pools/{pool}/emergency";

    /// <summary><paramref name="route"/> with its <c>{name}</c> and <c>{pool}</c> filled in, each escaped as one path segment.</summary>
    public static string For(string route, string? pool = null, string? name = null) =>
        route.Replace("{pool}", Uri.EscapeDataString(pool ?? "{pool}"), StringComparison.Ordinal)
             .Replace("{name}", Uri.EscapeDataString(name ?? "{name}"), StringComparison.Ordinal);
}
