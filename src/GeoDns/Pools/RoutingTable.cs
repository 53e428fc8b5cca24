using GeoDns.Protocol;

namespace GeoDns.Pools;

/// <summary>What every pool answers right now. Immutable; rebuilt off the query path on each health or config change.</summary>
public sealed class RoutingTable(IReadOnlyList<PoolRoute> pools)
{
    public static readonly RoutingTable Empty = new([]);

    public IReadOnlyList<PoolRoute> Pools { get; } = pools;

    public PoolRoute? Find(DnsName name) => Pools.FirstOrDefault(p => p.Pool.Name == name);
}
