namespace GeoDns.Sidecar.Rotation;

/// <summary>One line of a rotation's history: a step started, finished or failed.</summary>
public sealed record RotationEvent(DateTimeOffset At, RotationStep Step, string What, string? Detail = null);
