using GeoDns.Alerts;

namespace GeoDns.Sidecar.Daemon;

/// <summary><c>alerts</c> in sidecar.json: the channels, and when the fleet's state becomes an alert.</summary>
public sealed class SidecarAlertOptions : AlertOptions
{
    /// <summary>
    /// The nameservers may see an edge differently for a few probe rounds (each probes on its own); longer than this,
    /// resolvers get different answers from each, and that is an alert.
    /// </summary>
    public TimeSpan DisagreeAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A nameserver the home has not reached for this long is an alert (a blip of one poll is not).</summary>
    public TimeSpan UnreachableAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The home's certificate, or one an edge serves, with fewer days left than this is an alert (certbot renews at 30).</summary>
    public int CertificateDays { get; set; } = 14;

    /// <summary>
    /// Written into the nameservers' bundles as their <c>alerts.homeSilentAfter</c>: how long a nameserver waits without
    /// hearing from this home before it sends its own alert. Unset: the server's default (10 minutes).
    /// </summary>
    public TimeSpan? HomeSilentAfter { get; set; }

    public override IEnumerable<string> Problems()
    {
        foreach (var problem in base.Problems()) yield return problem;
        if (DisagreeAfter < TimeSpan.Zero) yield return "alerts.disagreeAfter: must not be negative";
        if (UnreachableAfter < TimeSpan.Zero) yield return "alerts.unreachableAfter: must not be negative";
        if (HomeSilentAfter is { } silent && silent != TimeSpan.Zero && silent < TimeSpan.FromSeconds(1))
            yield return $"alerts.homeSilentAfter: {silent} is neither 0 (off) nor 1 s or more";
        if (CertificateDays is < 0 or > 365) yield return $"alerts.certificateDays: {CertificateDays} is not between 0 and 365";
    }
}
