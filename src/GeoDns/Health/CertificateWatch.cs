using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GeoDns.Health;

/// <summary>
/// Warns when an HTTPS-probed target's certificate runs low (below its probe's
/// <see cref="ProbeSettings.CertificateWarningDays"/>) or has expired, once per crossing and not per
/// probe: a target probed every 2 s would otherwise log 43,200 lines a day. A renewal that lifts it
/// back above the threshold is logged once too. A probe that saw no certificate (refused, timed out)
/// changes nothing: the last known level stands. Called from the probing threads, one result per
/// target at a time (the monitor runs one round per target).
/// </summary>
internal sealed partial class CertificateWatch(ILogger log)
{
    private enum Level { Fine, Low, Expired }

    private readonly ConcurrentDictionary<string, Level> _levels = new();

    public void Observe((ProbeTarget Target, ProbeResult Result) probed)
    {
        var (target, result) = probed;
        if (result.CertificateDaysLeft is not { } days) return;
        var threshold = target.Settings.CertificateWarningDays;
        // Days are floored: any time past NotAfter is below 0.
        var level = days < 0 ? Level.Expired : days < threshold ? Level.Low : Level.Fine;
        // Keyed by address, port and type, as the monitor keeps a retuned target's state.
        var key = target.ToString();
        var before = _levels.GetValueOrDefault(key, Level.Fine);
        if (level == before) return;
        _levels[key] = level;
        var host = target.Settings.Host ?? target.Address.ToString();
        switch (level)
        {
            case Level.Expired: Expired(log, target, host); break;
            case Level.Low: Low(log, target, host, days, threshold); break;
            default: Renewed(log, target, host, days); break;
        }
    }

    /// <summary>A target no longer probed: if it comes back, its certificate is news again.</summary>
    public void Forget(ProbeTarget target) => _levels.TryRemove(target.ToString(), out _);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Certificate of {Target} ({Host}) has {Days} day(s) left, below probe.certificateWarningDays ({Threshold}): " +
        "renew it at home and push it to the edges (geodns-sidecar certificates)")]
    private static partial void Low(ILogger log, ProbeTarget target, string host, int days, int threshold);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Certificate of {Target} ({Host}) has expired: its probes fail, so the edge leaves the answers until a valid one is installed")]
    private static partial void Expired(ILogger log, ProbeTarget target, string host);

    [LoggerMessage(Level = LogLevel.Information, Message = "Certificate of {Target} ({Host}) renewed: {Days} day(s) left")]
    private static partial void Renewed(ILogger log, ProbeTarget target, string host, int days);
}
