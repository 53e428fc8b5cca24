namespace GeoDns.Health;

/// <summary>
/// Where an edge address stands. Unknown until its first probe; a first failure makes an Up edge
/// Suspect (still answered, listed last, re-probed at once); enough consecutive failures make it
/// Down; enough consecutive successes bring it back Up.
/// </summary>
public enum HealthState
{
    Unknown,
    Up,
    Suspect,
    Down,
}
