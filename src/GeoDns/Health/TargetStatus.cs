namespace GeoDns.Health;

/// <summary>What is known of one target right now.</summary>
public sealed record TargetStatus(
    HealthState State,
    DateTimeOffset Since,
    ProbeResult? LastProbe,
    int ConsecutiveFailures,
    int ConsecutiveSuccesses);
