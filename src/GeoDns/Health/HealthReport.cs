namespace GeoDns.Health;

/// <summary>An immutable picture of every target's health, replaced as a whole on each change.</summary>
public sealed class HealthReport(IReadOnlyDictionary<ProbeTarget, TargetStatus> targets)
{
    public static readonly HealthReport Empty = new(new Dictionary<ProbeTarget, TargetStatus>());

    public IReadOnlyDictionary<ProbeTarget, TargetStatus> Targets { get; } = targets;

    public HealthState StateOf(ProbeTarget target) => Targets.TryGetValue(target, out var status) ? status.State : HealthState.Unknown;
}
