using GeoDns.Health;
using GeoDns.Protocol;

namespace GeoDns.Pools;

/// <summary>Every configured pool, validated. Immutable: a config reload builds a new one.</summary>
public sealed class PoolSet(IReadOnlyList<Pool> pools)
{
    public static readonly PoolSet Empty = new([]);

    public IReadOnlyList<Pool> Pools { get; } = pools;

    public Pool? Find(DnsName name) => Pools.FirstOrDefault(p => p.Name == name);

    /// <summary>Everything to probe; pools sharing an address probed the same way share one target.</summary>
    public IReadOnlyList<ProbeTarget> Targets() => Pools.SelectMany(p => p.Targets()).Distinct().ToList();
}
