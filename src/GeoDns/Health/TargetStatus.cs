namespace GeoDns.Health;

/// <summary>What is known of one target right now.</summary>
public sealed record TargetStatus(
    HealthState State,
    DateTimeOffset Since,
    ProbeResult? LastProbe,
    int ConsecutiveFailures,
    int ConsecutiveSuccesses)
{
    /// <summary>A target nobody has probed yet.</summary>
    public static TargetStatus Initial(DateTimeOffset since) => new(HealthState.Unknown, since, null, 0, 0);
}
