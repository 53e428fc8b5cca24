using GeoDns.Protocol;

namespace GeoDns.Pools;

/// <summary>
/// A pool's current answer: the records at its name (with the pool's steady TTL, as zone transfers carry them),
/// whether the all-down policy produced them, and the TTL answers carry now (<see cref="PoolTtl"/>). While the
/// emergency switch is on the records are the pool's emergency ones; <see cref="Edges"/> and <see cref="AllDown"/>
/// still say what the edges would give, which is answered again once it is off.
/// </summary>
public sealed record PoolRoute(Pool Pool, IReadOnlyList<EdgeRoute> Edges, bool AllDown, IReadOnlyList<ResourceRecord> Records, PoolTtl Ttl)
{
    /// <summary>The pool's emergency switch, when an operator has it on; null when off.</summary>
    public EmergencySwitch? Emergency { get; init; }

    /// <summary>The emergency records are answered: the switch is on and the pool has some (a config edited since may have none).</summary>
    public bool AnswersEmergency => Emergency is not null && Pool.Emergency.Count > 0;
}
