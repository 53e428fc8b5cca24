namespace GeoDns.Sidecar.Nginx;

/// <summary>What goes into each edge's nginx.conf.</summary>
public sealed class NginxOptions
{
    public NginxMode Mode { get; set; } = NginxMode.Tls;

    /// <summary>A template file of one's own; default: the one for <see cref="Mode"/> built in (deploy/edge/).</summary>
    public string? Template { get; set; }

    /// <summary>The names served through the edges; the first names the certificate.</summary>
    public List<string> Domains { get; set; } = [];

    /// <summary>The home's port behind the tunnel: plain HTTP in TLS mode (default 80), TLS in passthrough mode (default 443).</summary>
    public int? UpstreamPort { get; set; }

    /// <summary>The port the edges reach at home: <see cref="UpstreamPort"/> or its mode's default. Computed, so no key:
    /// without [JsonIgnore] the loader would take "homePort" silently and ignore it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int HomePort => UpstreamPort ?? (Mode == NginxMode.Tls ? 80 : 443);

    /// <summary>
    /// The home's copy of the certificate (fullchain.pem and privkey.pem), e.g. certbot's
    /// <c>/etc/letsencrypt/live/app.example.com</c> or a copy the sidecar's user can read. Handed
    /// to the provision and certificate hooks as $EDGE_CERT_DIR.
    /// </summary>
    public string? CertificateDir { get; set; }

    /// <summary>Placeholders set by hand; they win over the defaults (see <see cref="Variables"/>).</summary>
    public Dictionary<string, string> Variables { get; set; } = [];

    /// <summary>Every placeholder's value for an edge whose home is at <paramref name="homeTunnel"/>; the signals' from <paramref name="signals"/> (default: its defaults).</summary>
    public Dictionary<string, string> VariablesFor(string homeTunnel, Signals.SignalsOptions? signals = null)
    {
        var primary = Domains.FirstOrDefault() ?? "example.com";
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["server_names"] = Domains.Count > 0 ? string.Join(' ', Domains) : primary,
            ["home_tunnel"] = homeTunnel,
            ["upstream_port"] = HomePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["http_port"] = "80",
            ["certificate"] = $"/etc/letsencrypt/live/{primary}/fullchain.pem",
            ["certificate_key"] = $"/etc/letsencrypt/live/{primary}/privkey.pem",
            ["client_max_body_size"] = "1g",
            ["rate"] = "50r/s",
            ["burst"] = "200",
            ["read_timeout"] = "1h",
            ["log_dir"] = "/var/log/nginx",
            ["pid_file"] = "/run/nginx.pid",
            // Under a flood (deploy/edge/geodns-edge-tighten): where the stricter limits go, and what they are. A page's
            // first load (some 50 requests at once) passes; a client that keeps on above 10/s, the rate that names a
            // flood's source (attack.tighten.minRate), gets 429; a browser's 6 HTTP/1.1 connections pass in passthrough.
            ["tighten_dir"] = "/etc/nginx/geodns-tighten",
            ["tight_rate"] = "10r/s",
            ["tight_burst"] = "50",
            ["tight_conns"] = "8",
        };
        foreach (var (key, value) in (signals ?? new Signals.SignalsOptions()).Variables()) values[key] = value;
        foreach (var (key, value) in Variables) values[key] = value;
        return values;
    }
}
