namespace GeoDns.Health;

/// <summary>How one address is probed. Two pools that probe an address:port the same way share one probe.</summary>
public sealed record ProbeSettings
{
    /// <summary><c>tcp</c>: the TCP handshake completes. <c>https</c>: a GET answers with <see cref="ExpectedStatus"/>.</summary>
    public string Type { get; init; } = "tcp";
    public int Port { get; init; } = 443;
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>How soon a Suspect address is probed again.</summary>
    public TimeSpan ReprobeInterval { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Consecutive failures that make an address Down (the first makes it Suspect).</summary>
    public int FailuresToDown { get; init; } = 2;
    /// <summary>Consecutive successes that bring a Down address back Up.</summary>
    public int SuccessesToUp { get; init; } = 2;

    // HTTPS probes only.
    public string Path { get; init; } = "/";
    public int ExpectedStatus { get; init; } = 200;
    /// <summary>Host header and TLS SNI name; the certificate must be valid for it.</summary>
    public string? Host { get; init; }
    /// <summary>Accept an expired, self-signed or wrong-name certificate (the probe then checks reachability only).</summary>
    public bool AllowInvalidCertificate { get; init; }
}
