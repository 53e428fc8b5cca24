namespace GeoDns.Sidecar.Fleet;

/// <summary>One line of a nameserver rotation's history: a step started, finished or failed.</summary>
public sealed record NameserverRotationEvent(DateTimeOffset At, NameserverRotationStep Step, string What, string? Detail = null);
