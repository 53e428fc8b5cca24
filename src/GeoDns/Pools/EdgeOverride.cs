using GeoDns.Health;

namespace GeoDns.Pools;

/// <summary>
/// An operator's word on one edge, stronger than its probes: Drained takes it out of answers
/// (maintenance) whatever its health; Forced (Up or Down) replaces the probed state.
/// </summary>
public sealed record EdgeOverride(bool Drained, HealthState? Forced, DateTimeOffset Changed, string? Reason)
{
    /// <summary>Nothing overridden: such an override is not stored.</summary>
    public bool IsNeutral => !Drained && Forced is null;
}
