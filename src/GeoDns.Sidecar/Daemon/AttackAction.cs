namespace GeoDns.Sidecar.Daemon;

/// <summary>What <c>run</c> does about an attack verdict, beside the alert it always raises.</summary>
public enum AttackAction
{
    /// <summary>Raise the alert and nothing more: the operator decides.</summary>
    Alert,

    /// <summary>Rotate the edge at once, within <c>rotation.dailyBudget</c> and <c>rotation.maxConcurrent</c>.</summary>
    Rotate,

    /// <summary>
    /// Floods only: ban the flood's sources and switch on stricter limits on the edge (<c>hooks.tighten</c>, again while the
    /// flood holds); rotate it when the flood outlasts <c>attack.tighten.escalateAfter</c> or the hook fails.
    /// </summary>
    Tighten,
}
