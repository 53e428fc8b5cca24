namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// <c>attack</c> in sidecar.json: when <c>run</c> calls an edge attacked (<see cref="AttackWatch"/>) and what it does then.
/// The defaults and why they are so: docs/operations.md, "Attack verdicts".
/// </summary>
public sealed class AttackOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>How many times its own baseline (the median of its history) a signal must reach.</summary>
    public double Factor { get; set; } = 10;

    /// <summary>How long a signal must stay above its threshold: a burst (a crawler, a backup) passes, a flood stays.</summary>
    public TimeSpan Sustain { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an edge must be Down on the nameservers while home still reaches it.</summary>
    public TimeSpan UnreachableFor { get; set; } = TimeSpan.FromSeconds(20);

    public AttackFloors Floor { get; set; } = new();

    public AttackPolicies Policy { get; set; } = new();

    public AttackTighten Tighten { get; set; } = new();

    /// <summary>Turn the pool's emergency switch on by itself when every serving edge has a verdict (<see cref="AutoEmergency"/>).</summary>
    public bool AutoEmergency { get; set; }

    /// <summary>How long no edge must have a verdict before a switch <see cref="AutoEmergency"/> turned on is turned off.</summary>
    public TimeSpan AutoEmergencyOffAfter { get; set; } = TimeSpan.FromMinutes(10);

    public IEnumerable<string> Problems()
    {
        if (!(Factor >= 2) || double.IsInfinity(Factor)) yield return $"attack.factor: {Factor} must be at least 2 (a signal merely doubling is a busy hour)";
        if (Sustain < TimeSpan.FromSeconds(5) || Sustain > TimeSpan.FromMinutes(30)) yield return $"attack.sustain: {Sustain} must be 5 s to 30 min";
        if (UnreachableFor < TimeSpan.Zero || UnreachableFor > TimeSpan.FromHours(1)) yield return $"attack.unreachableFor: {UnreachableFor} must be 0 to 1 h";
        foreach (var problem in Floor.Problems()) yield return problem;
        foreach (var problem in Tighten.Problems()) yield return problem;
        if (AutoEmergencyOffAfter < TimeSpan.Zero || AutoEmergencyOffAfter > TimeSpan.FromDays(1)) yield return $"attack.autoEmergencyOffAfter: {AutoEmergencyOffAfter} must be 0 to 24 h";
        if (!Enum.IsDefined(Policy.Flood)) yield return $"attack.policy.flood: {Policy.Flood} is not alert, rotate or tighten";
        // What the edge does not see it cannot turn away: cut off from the world, it sees no flood to ban.
        if (Policy.Unreachable == AttackAction.Tighten) yield return "attack.policy.unreachable: tighten acts on a flood the edge sees; an edge the world cannot reach sees none (alert or rotate)";
        else if (!Enum.IsDefined(Policy.Unreachable)) yield return $"attack.policy.unreachable: {Policy.Unreachable} is not alert or rotate";
    }
}
