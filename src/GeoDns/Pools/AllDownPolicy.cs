namespace GeoDns.Pools;

/// <summary>What a pool answers when none of its edges is healthy.</summary>
public enum AllDownPolicy
{
    /// <summary>Every edge that is not drained: a possibly dead edge beats no answer at all.</summary>
    All,
    /// <summary>No addresses (NODATA): clients fail fast.</summary>
    None,
    /// <summary>The pool's fallback records, e.g. a CNAME to an emergency host.</summary>
    Fallback,
}
