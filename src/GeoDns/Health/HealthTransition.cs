namespace GeoDns.Health;

/// <summary>A change of state of one probe target, with the probe that caused it.</summary>
public sealed record HealthTransition(string Target, HealthState From, HealthState To, string Reason, TimeSpan? Latency, DateTimeOffset At);
