namespace GeoDns.Contracts;

/// <summary>
/// One address of an edge: <see cref="State"/> is what the probes say, <see cref="Effective"/> what
/// answering uses (a forced state wins, then a passive signal: Down). <see cref="Since"/> is when the probed state began.
/// </summary>
public sealed record AddressView(
    string Address,
    string Target,
    EdgeState State,
    EdgeState Effective,
    bool InAnswers,
    DateTimeOffset? Since,
    ProbeOutcome? LastProbe,
    int ConsecutiveFailures,
    int ConsecutiveSuccesses,
    int? CertificateDaysLeft)
{
    /// <summary>The home sidecar's "tunnel down" while it holds (the address counts as Down meanwhile), else null.</summary>
    public PassiveView? Passive { get; init; }
}
