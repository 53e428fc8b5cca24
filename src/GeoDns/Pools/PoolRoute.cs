using GeoDns.Protocol;

namespace GeoDns.Pools;

/// <summary>
/// A pool's current answer: the records at its name (with the pool's steady TTL, as zone transfers carry them),
/// whether the all-down policy produced them, and the TTL answers carry now (<see cref="PoolTtl"/>).
/// </summary>
public sealed record PoolRoute(Pool Pool, IReadOnlyList<EdgeRoute> Edges, bool AllDown, IReadOnlyList<ResourceRecord> Records, PoolTtl Ttl);
