namespace GeoDns.Health;

/// <summary>What the monitor's next round for one target is: its timeout, how many probes at once, and the witnesses probed alongside.</summary>
internal sealed record RoundPlan(TimeSpan Timeout, int Width, IReadOnlyList<(ProbeTarget Target, TimeSpan Timeout)> Witnesses);
