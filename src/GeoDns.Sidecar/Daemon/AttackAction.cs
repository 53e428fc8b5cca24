namespace GeoDns.Sidecar.Daemon;

/// <summary>What <c>run</c> does about an attack verdict, beside the alert it always raises.</summary>
public enum AttackAction
{
    /// <summary>Raise the alert and nothing more: the operator decides.</summary>
    Alert,

    /// <summary>Rotate the edge at once, within <c>rotation.dailyBudget</c> and <c>rotation.maxConcurrent</c>.</summary>
    Rotate,
}
