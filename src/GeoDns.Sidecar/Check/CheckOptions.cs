using System.Net;

namespace GeoDns.Sidecar.Check;

/// <summary>
/// <c>check</c>: where <c>geodns-sidecar check</c> looks from outside, as a resolver and a browser would. Every key
/// has a default that works on a home set up by the guide; tests and labs point them at their own servers.
/// </summary>
public sealed class CheckOptions
{
    public const string DefaultPath = "/healthz";

    /// <summary>The delegated zone; default: the zone the nameservers serve (<c>GET /v1/zones</c>) that holds <c>pool</c>.</summary>
    public string? Zone { get; set; }

    /// <summary>The parent zone's servers as <c>ADDR:PORT</c>; default: the parent's NS, found through the first resolver.</summary>
    public List<string> Parents { get; set; } = [];

    /// <summary>
    /// Recursive resolvers to ask for the pool, each optionally with the country its clients are in. Unset: the first
    /// <c>nameserver</c> of /etc/resolv.conf; an empty list: none (the pool is then asked of the nameservers only).
    /// </summary>
    public List<CheckResolver>? Resolvers { get; set; }

    /// <summary>The port the nameservers answer DNS on, at their public addresses (the hosts of <c>nameserverTunnels[].endpoint</c>).</summary>
    public int DnsPort { get; set; } = 53;

    /// <summary>The edges' HTTPS port.</summary>
    public int HttpsPort { get; set; } = 443;

    /// <summary>The path requested through each edge: it must reach home and answer 200 (the nameservers' HTTPS probe path).</summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>How long one query or connection may take: a dead server fails its check after this, never hangs the command.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Certificates with fewer days left than this are named (the check still passes).</summary>
    public int CertificateWarningDays { get; set; } = 14;

    public IEnumerable<string> Problems()
    {
        foreach (var parent in Parents.Where(p => !IPEndPoint.TryParse(p, out var e) || e.Port == 0))
            yield return $"check.parents: '{parent}' is not ADDR:PORT";
        foreach (var resolver in (Resolvers ?? []).Where(r => r.Endpoint() is null))
            yield return $"check.resolvers: '{resolver.Address}' is not ADDR or ADDR:PORT";
        if (DnsPort is < 1 or > 65535) yield return $"check.dnsPort: {DnsPort} is not a port (1-65535)";
        if (HttpsPort is < 1 or > 65535) yield return $"check.httpsPort: {HttpsPort} is not a port (1-65535)";
        if (!Path.StartsWith('/')) yield return $"check.path: '{Path}' does not start with /";
        if (Timeout < TimeSpan.FromMilliseconds(100) || Timeout > TimeSpan.FromMinutes(1)) yield return "check.timeout must be 100 ms to 1 min";
        if (CertificateWarningDays < 0) yield return "check.certificateWarningDays must not be negative";
    }
}
