namespace GeoDns.Health;

/// <summary>What is known of one target right now.</summary>
public sealed record TargetStatus(
    HealthState State,
    DateTimeOffset Since,
    ProbeResult? LastProbe,
    int ConsecutiveFailures,
    int ConsecutiveSuccesses)
{
    /// <summary>How fast the target answers when it does; sets its probe timeout.</summary>
    public LatencyEstimate Latency { get; init; }

    /// <summary>The timeout its next probe gets: adaptive once it has answered, the configured cap before.</summary>
    public TimeSpan ConnectTimeoutFor(ProbeSettings settings) => Latency.ConnectTimeoutFor(settings);

    /// <summary>A target nobody has probed yet.</summary>
    public static TargetStatus Initial(DateTimeOffset since) => new(HealthState.Unknown, since, null, 0, 0);
}
