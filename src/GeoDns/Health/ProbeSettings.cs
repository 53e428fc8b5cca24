namespace GeoDns.Health;

/// <summary>How one address is probed. Two pools that probe an address:port the same way share one probe.</summary>
public sealed record ProbeSettings
{
    /// <summary><c>tcp</c>: the TCP handshake completes. <c>https</c>: a GET answers with <see cref="ExpectedStatus"/>.</summary>
    public string Type { get; init; } = "tcp";
    public int Port { get; init; } = 443;
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>
    /// The longest a probe may take. Once an address has answered, its TCP handshake's timeout is
    /// adaptive: twice its smoothed connect time plus four deviations, within [TimeoutFloor, Timeout].
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>
    /// The shortest adaptive timeout. Below Linux's first SYN retransmission (1 s) one lost SYN fails
    /// a probe, which is why a failure is confirmed by <see cref="ConfirmProbes"/> probes at once.
    /// </summary>
    public TimeSpan TimeoutFloor { get; init; } = TimeSpan.FromMilliseconds(300);
    /// <summary>
    /// Probes sent at once, in parallel, to confirm a first failure; the round fails only if all of
    /// them fail. With independent loss p per connection, a healthy edge is taken out with
    /// probability p^(1 + ConfirmProbes) per interval: at p = 0.36 (20 % loss each way) that is
    /// 1e-4, i.e. 0.6 % over 5 minutes.
    /// </summary>
    public int ConfirmProbes { get; init; } = 8;
    /// <summary>
    /// How soon a Down address that answered once is probed again (SuccessesToUp needs more), and a
    /// Suspect one held while no probe gets any reply (this nameserver's own network looks down).
    /// </summary>
    public TimeSpan ReprobeInterval { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Consecutive failed rounds that make an address Down: the first probe makes it Suspect, each confirming round after it counts one.</summary>
    public int FailuresToDown { get; init; } = 2;
    /// <summary>Consecutive successes that bring a Down address back Up.</summary>
    public int SuccessesToUp { get; init; } = 2;
    /// <summary>
    /// Hold an idle TCP connection to the address between probes, and probe at once when the edge closes or
    /// resets it: a killed nginx leaves the answers in well under a second instead of up to an interval later
    /// (<see cref="HeldConnection"/>). A black-holed edge sends nothing and is left to the probes.
    /// </summary>
    public bool HoldConnection { get; init; } = true;

    // HTTPS probes only.
    public string Path { get; init; } = "/";
    public int ExpectedStatus { get; init; } = 200;
    /// <summary>Host header and TLS SNI name; the certificate must be valid for it.</summary>
    public string? Host { get; init; }
    /// <summary>
    /// Accept a self-signed, untrusted or wrong-name certificate (the probe then checks reachability
    /// only). Never an expired one: no browser accepts it, so an edge serving it leaves the answers.
    /// </summary>
    public bool AllowInvalidCertificate { get; init; }
    /// <summary>
    /// Below this many days left on an edge's certificate a warning is logged, once per crossing
    /// (Let's Encrypt renews 30 days ahead, so 14 days left means a renewal failed or never reached
    /// the edge). 0 turns this warning off (an expired certificate is still logged); the days left are shown in /metrics and the dashboard anyway.
    /// </summary>
    public int CertificateWarningDays { get; init; } = DefaultCertificateWarningDays;

    public const int DefaultCertificateWarningDays = 14;
}
