namespace GeoDns.Sidecar.Daemon;

/// <summary>The two ways <see cref="AttackWatch"/> sees an edge under attack.</summary>
public enum AttackKind
{
    /// <summary>A signal held far above the edge's own baseline (and its floor) for <c>attack.sustain</c>.</summary>
    Flood,

    /// <summary>Down on every nameserver while its tunnel home is fresh and its signals readable: cut off from the world, not dead.</summary>
    Unreachable,
}
