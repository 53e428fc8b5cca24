namespace GeoDns.Alerts;

/// <summary>
/// Where alerts go (<c>alerts</c> in sidecar.json, and in a nameserver's geodns.json): one or more channels, and how
/// alerts are grouped and retried. Every channel gets every message. Each program adds its own thresholds (the
/// sidecar's <c>SidecarAlertOptions</c>, a nameserver's <c>NameserverAlertOptions</c>).
/// </summary>
public class AlertOptions
{
    public List<AlertChannelOptions> Channels { get; set; } = [];

    /// <summary>Alerts raised within this long of the first one go out as one message: a storm is one message, not a hundred.</summary>
    public TimeSpan GroupWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first wait before a failed delivery is tried again; it doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A delivery still failing after this long is given up (and stays in the log as failed).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    public virtual IEnumerable<string> Problems()
    {
        foreach (var (channel, i) in Channels.Select((c, i) => (c, i)))
            foreach (var problem in channel.Problems()) yield return $"alerts.channels[{i}].{problem}";
        if (GroupWindow < TimeSpan.Zero || GroupWindow > TimeSpan.FromMinutes(10)) yield return $"alerts.groupWindow: {GroupWindow} is not between 0 and 10 minutes";
        if (RetryDelay <= TimeSpan.Zero) yield return "alerts.retryDelay: must be above 0";
        if (MaxRetryDelay < RetryDelay) yield return "alerts.maxRetryDelay: must be at least alerts.retryDelay";
        if (GiveUpAfter < RetryDelay) yield return "alerts.giveUpAfter: must be at least alerts.retryDelay";
    }
}

public enum AlertChannelType
{
    Webhook,
    Ntfy,
    Email,
}

/// <summary>One channel: a webhook (JSON with a <c>text</c> field Slack, Mattermost and Discord take), an ntfy topic, or e-mail over SMTP.</summary>
public sealed class AlertChannelOptions
{
    public AlertChannelType Type { get; set; }

    /// <summary>How logs, <c>alerts test</c> and the delivery log name it (default: its type and host).</summary>
    public string? Name { get; set; }

    /// <summary>Webhook: the URL to POST to. ntfy: the topic's URL, e.g. <c>https://ntfy.sh/my-fleet</c>.</summary>
    public string? Url { get; set; }

    /// <summary>Webhook and ntfy: a bearer token, in a file (kept out of the config).</summary>
    public string? TokenFile { get; set; }

    /// <summary>E-mail: the SMTP server, its port (587: STARTTLS), and the security of the connection.</summary>
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>E-mail: the login, and the file holding its password; none: no login.</summary>
    public string? Username { get; set; }
    public string? PasswordFile { get; set; }
    public string? From { get; set; }
    public List<string> To { get; set; } = [];

    /// <summary>The channel's server is this machine (localhost, a loopback address): on another machine it would be that one.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool OnThisMachine => IsLoopback(Type == AlertChannelType.Email ? Host : Uri.TryCreate(Url, UriKind.Absolute, out var uri) ? uri.Host.Trim('[', ']') : null);

    [System.Text.Json.Serialization.JsonIgnore]
    public string Label => Name ?? $"{Type.ToString().ToLowerInvariant()} {(Type == AlertChannelType.Email ? Host : Uri.TryCreate(Url, UriKind.Absolute, out var uri) ? uri.Host : Url)}";

    public IEnumerable<string> Problems()
    {
        if (Type is AlertChannelType.Webhook or AlertChannelType.Ntfy)
        {
            if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) yield return $"url: '{Url}' is not an http(s) URL";
        }
        else
        {
            if (string.IsNullOrWhiteSpace(Host)) yield return "host: the SMTP server is not set";
            if (Port is < 1 or > 65535) yield return $"port: {Port} is not a port";
            if (string.IsNullOrWhiteSpace(From) || !From.Contains('@')) yield return $"from: '{From}' is not an address";
            if (To.Count == 0 || To.Any(t => !t.Contains('@'))) yield return "to: one address at least, each with an @";
            if (Username is not null && PasswordFile is null) yield return "passwordFile: a username needs its password file";
            if (Username is not null && Security == SmtpSecurity.None && !IsLoopback(Host))
                yield return $"security: none would send the password in clear to {Host}: use starttls or tls (none is for a relay on this machine only)";
        }
    }

    private static bool IsLoopback(string? host) =>
        host == "localhost" || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));
}

public enum SmtpSecurity
{
    /// <summary>Plain connection, upgraded with STARTTLS (port 587); refused if the server does not offer it.</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    Tls,

    /// <summary>No encryption: only for a relay on the same machine.</summary>
    None,
}
