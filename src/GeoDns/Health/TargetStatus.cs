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

    /// <summary>A passive "cannot serve" report (see <see cref="PassiveSignal"/>): while set, the target counts as Down whatever its probes say.</summary>
    public PassiveSignal? Passive { get; init; }

    /// <summary>The state answers go by: Down while a passive signal holds, else the probed state.</summary>
    public HealthState Effective => Passive is null ? State : HealthState.Down;

    /// <summary>
    /// A failure to confirm at once: the target is Suspect, or Unknown with a failed first probe (both ask
    /// for a confirming round now rather than at the next interval).
    /// </summary>
    public bool InDoubt => State == HealthState.Suspect || (State == HealthState.Unknown && ConsecutiveFailures > 0);

    /// <summary>A target nobody has probed yet.</summary>
    public static TargetStatus Initial(DateTimeOffset since) => new(HealthState.Unknown, since, null, 0, 0);
}
