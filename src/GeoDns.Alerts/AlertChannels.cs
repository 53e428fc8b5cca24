using System.Net.Http.Headers;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace GeoDns.Alerts;

/// <summary>Sends a message on one channel; a failure throws, with what the channel said.</summary>
public interface IAlertChannel
{
    string Label { get; }

    Task SendAsync(AlertMessage message, CancellationToken cancel);
}

public static class AlertChannels
{
    /// <summary>The sender of <paramref name="options"/>; <paramref name="trust"/> replaces the system's CAs for SMTP (tests).</summary>
    public static IAlertChannel Create(AlertChannelOptions options, HttpClient http, System.Net.Security.RemoteCertificateValidationCallback? trust = null) => options.Type switch
    {
        AlertChannelType.Webhook => new WebhookChannel(options, http),
        AlertChannelType.Ntfy => new NtfyChannel(options, http),
        _ => new EmailChannel(options, trust),
    };

    internal static string? Secret(string? file) => file is null ? null : File.ReadAllText(file).Trim();

    internal static async Task EnsureAsync(HttpResponseMessage response, CancellationToken cancel)
    {
        if (response.IsSuccessStatusCode) return;
        var body = (await response.Content.ReadAsStringAsync(cancel)).ReplaceLineEndings(" ").Trim();
        throw new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase}{(body == "" ? "" : ": " + (body.Length > 200 ? body[..200] : body))}");
    }
}

/// <summary>
/// A JSON POST: <c>text</c> (Slack, Mattermost and most chat webhooks show it), <c>content</c> (Discord's name for
/// the same), the title, and every alert with its key, for scripts.
/// </summary>
public sealed class WebhookChannel(AlertChannelOptions options, HttpClient http) : IAlertChannel
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public string Label => options.Label;

    public async Task SendAsync(AlertMessage message, CancellationToken cancel)
    {
        var text = $"{message.Title}\n{message.Text}";
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url)
        {
            // Serialized first, so the request has a Content-Length: small receivers (a script on http.server) do not read chunked bodies.
            Content = new StringContent(JsonSerializer.Serialize(new { text, content = text, title = message.Title, source = message.Source, alerts = message.Alerts }, Json),
                System.Text.Encoding.UTF8, "application/json"),
        };
        if (AlertChannels.Secret(options.TokenFile) is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancel);
        await AlertChannels.EnsureAsync(response, cancel);
    }
}

/// <summary>ntfy: the text as the body, the title and priority as its headers (a phone rings for critical ones).</summary>
public sealed class NtfyChannel(AlertChannelOptions options, HttpClient http) : IAlertChannel
{
    public string Label => options.Label;

    public async Task SendAsync(AlertMessage message, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new StringContent(message.Text) };
        // Header values are ASCII: the title keeps its words, anything else becomes '?'.
        request.Headers.Add("Title", new string(message.Title.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray()));
        request.Headers.Add("Priority", message.Severity switch { AlertSeverity.Critical => "high", AlertSeverity.Warning => "default", _ => "low" });
        request.Headers.Add("Tags", message.Alerts.All(a => a.Resolved) ? "white_check_mark" : message.Severity == AlertSeverity.Critical ? "rotating_light" : "warning");
        if (AlertChannels.Secret(options.TokenFile) is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancel);
        await AlertChannels.EnsureAsync(response, cancel);
    }
}

/// <summary>E-mail over SMTP (MailKit): STARTTLS on 587 by default, a login when configured, one message to every recipient.</summary>
public sealed class EmailChannel(AlertChannelOptions options, System.Net.Security.RemoteCertificateValidationCallback? trust) : IAlertChannel
{
    public string Label => options.Label;

    public async Task SendAsync(AlertMessage message, CancellationToken cancel)
    {
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(options.From!));
        foreach (var to in options.To) mail.To.Add(MailboxAddress.Parse(to));
        mail.Subject = message.Title;
        mail.Body = new TextPart("plain") { Text = message.Text + "\n" };
        // No revocation check, as HttpClient does not check by default either: a mail server under a private CA has no CRL
        // to fetch, and the check would fail every message ("unable to get certificate CRL") while the chain itself is trusted.
        using var smtp = new SmtpClient { Timeout = 30_000, CheckCertificateRevocation = false };
        if (trust is not null) smtp.ServerCertificateValidationCallback = trust;
        var security = options.Security switch
        {
            SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        await smtp.ConnectAsync(options.Host!, options.Port, security, cancel);
        if (options.Username is not null) await smtp.AuthenticateAsync(options.Username, AlertChannels.Secret(options.PasswordFile) ?? "", cancel);
        await smtp.SendAsync(mail, cancel);
        await smtp.DisconnectAsync(quit: true, cancel);
    }
}
