using GeoDns.Protocol;

namespace GeoDns.Pools;

/// <summary>A pool's current answer: the records at its name, and whether the all-down policy produced them.</summary>
public sealed record PoolRoute(Pool Pool, IReadOnlyList<EdgeRoute> Edges, bool AllDown, IReadOnlyList<ResourceRecord> Records);
