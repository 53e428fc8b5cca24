namespace GeoDns.Health;

/// <summary>The outcome of one probe: a value, never an exception.</summary>
public sealed record ProbeResult(bool Success, TimeSpan Latency, DateTimeOffset At, string? Error = null, int? CertificateDaysLeft = null);
