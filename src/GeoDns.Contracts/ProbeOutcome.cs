namespace GeoDns.Contracts;

/// <summary>The last probe of an address, as the admin API shows it.</summary>
public sealed record ProbeOutcome(bool Success, double LatencyMs, string? Error, DateTimeOffset At);
