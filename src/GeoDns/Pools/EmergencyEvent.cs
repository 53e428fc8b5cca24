namespace GeoDns.Pools;

/// <summary>An emergency switch turned on or off, for the history of operators' changes.</summary>
public sealed record EmergencyEvent(string Pool, bool On, string? Reason, DateTimeOffset At);
