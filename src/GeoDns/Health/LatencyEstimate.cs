namespace GeoDns.Health;

/// <summary>
/// How fast one target's TCP handshake usually completes, smoothed as TCP smooths round-trip times (RFC 6298 §2:
/// SRTT gains 1/8 of each sample, RTTVAR 1/4 of each deviation), from successful probes only
/// (RFC 6298 §3, Karn: a timed-out probe says nothing about the answer time). It sets the target's
/// connect timeout: a black-holed edge that answers in 20 ms is given up on in the floor's time, not
/// the configured cap's, while an edge across the world keeps a longer one. Only the handshake:
/// what an HTTPS probe waits for after it (TLS, the backend through the tunnel) keeps the whole Timeout.
/// </summary>
public readonly record struct LatencyEstimate(TimeSpan Smoothed, TimeSpan Variation, int Samples)
{
    public LatencyEstimate Next(TimeSpan sample)
    {
        if (sample < TimeSpan.Zero) sample = TimeSpan.Zero;
        if (Samples == 0) return new LatencyEstimate(sample, sample / 2, 1); // RFC 6298 §2.2
        var deviation = (Smoothed - sample).Duration();
        return new LatencyEstimate(Smoothed * 7 / 8 + sample / 8, Variation * 3 / 4 + deviation / 4, Samples == int.MaxValue ? Samples : Samples + 1);
    }

    /// <summary>
    /// Twice the smoothed connect time plus four deviations, within [TimeoutFloor, Timeout]; the
    /// configured Timeout until the target has answered once (nothing is known of it yet).
    /// </summary>
    public TimeSpan ConnectTimeoutFor(ProbeSettings settings)
    {
        if (Samples == 0) return settings.Timeout;
        var adaptive = Smoothed * 2 + Variation * 4;
        var floor = settings.TimeoutFloor < settings.Timeout ? settings.TimeoutFloor : settings.Timeout;
        return adaptive < floor ? floor : adaptive > settings.Timeout ? settings.Timeout : adaptive;
    }
}
