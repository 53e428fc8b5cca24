namespace GeoDns.Health;

/// <summary>What one probe result did to a target: its new status, and the transition if its state changed.</summary>
public sealed record HealthStep(TargetStatus Status, HealthTransition? Transition);
