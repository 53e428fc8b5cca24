namespace GeoDns.Health;

/// <summary>
/// What the monitor's next round for one target is: its timeout, how many probes at once, the witnesses probed
/// alongside, and whether the target's family was isolated when it was planned.
/// </summary>
internal sealed record RoundPlan(TimeSpan Timeout, int Width, IReadOnlyList<(ProbeTarget Target, TimeSpan Timeout)> Witnesses, bool Isolated = false);
