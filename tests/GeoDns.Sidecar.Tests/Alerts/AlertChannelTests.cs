using GeoDns.Alerts;
using GeoDns.Testing;

namespace GeoDns.Sidecar.Tests.Alerts;

/// <summary>
/// Every channel against a real receiver on loopback: a webhook and an ntfy topic (an HTTP server that records what
/// it got, and refuses at first to prove the retry), and e-mail through a real SMTP server (python3-aiosmtpd) that
/// requires STARTTLS and a login.
/// </summary>
public sealed class AlertChannelTests : IDisposable
{
    private readonly Scratch _scratch = new();

    [SkippableFact]
    public async Task OneStorm_ReachesTheWebhookNtfyAndEmail_AsOneMessageEach_AfterTheWebhookRefusedOnce()
    {
        Skip.If(SmtpReceiver.Missing is not null, SmtpReceiver.Missing);
        using var hook = new HttpReceiver(failFirst: 1);
        using var ntfy = new HttpReceiver();
        using var smtp = await SmtpReceiver.StartAsync(_scratch["smtp"]);
        File.WriteAllText(_scratch["password"], SmtpReceiver.Password);
        File.WriteAllText(_scratch["ntfy.token"], "tk_ntfy_test");
        var options = new AlertOptions
        {
            GroupWindow = TimeSpan.FromMilliseconds(300),
            RetryDelay = TimeSpan.FromMilliseconds(200),
            Channels =
            [
                new() { Type = AlertChannelType.Webhook, Url = hook.Url() },
                new() { Type = AlertChannelType.Ntfy, Url = ntfy.Url("fleet"), TokenFile = _scratch["ntfy.token"] },
                new() { Type = AlertChannelType.Email, Host = "127.0.0.1", Port = smtp.Port, Username = SmtpReceiver.User, PasswordFile = _scratch["password"],
                        From = "geodns@example.test", To = ["me@example.test"] },
            ],
        };
        Assert.Empty(options.Problems());
        using var http = new HttpClient();
        await using var alerts = new AlertDispatcher("geodns-sidecar", options, [.. options.Channels.Select(c => AlertChannels.Create(c, http, smtp.Trust))], new MemoryAlertLog(), TimeProvider.System);

        alerts.Raise("edge-down:edge-1", "edge-1 is down", "Down on ns1 and ns2", AlertSeverity.Critical);
        alerts.Raise("edge-down:edge-2", "edge-2 is down", "Down on ns1 and ns2", AlertSeverity.Critical);

        var hooked = Assert.Single(await hook.WaitAsync(1));
        Assert.Equal(1, hook.Refused);
        Assert.Contains("\"text\":\"geodns-sidecar: 2 alerts (2 firing)\\nCRITICAL edge-1 is down: Down on ns1 and ns2\\nCRITICAL edge-2 is down", hooked.Body);
        Assert.Contains("\"content\":", hooked.Body);
        Assert.Contains("\"key\":\"edge-down:edge-2\"", hooked.Body);
        var pushed = Assert.Single(await ntfy.WaitAsync(1));
        Assert.Equal("/fleet", pushed.Path);
        Assert.Equal(("geodns-sidecar: 2 alerts (2 firing)", "high", "Bearer tk_ntfy_test"), (pushed.Headers["Title"], pushed.Headers["Priority"], pushed.Headers["Authorization"]));
        Assert.StartsWith("CRITICAL edge-1 is down", pushed.Body);
        var mail = Assert.Single(await smtp.WaitAsync(1));
        Assert.Contains($"X-Login: {SmtpReceiver.User}", mail);
        Assert.Contains("X-Tls: True", mail);
        Assert.Contains("Subject: geodns-sidecar: 2 alerts (2 firing)", mail);
        Assert.Contains("CRITICAL edge-2 is down: Down on ns1 and ns2", mail);
    }

    [SkippableFact]
    public async Task Test_SaysWhichChannelFailedAndWhy()
    {
        Skip.If(SmtpReceiver.Missing is not null, SmtpReceiver.Missing);
        using var hook = new HttpReceiver();
        using var smtp = await SmtpReceiver.StartAsync(_scratch["smtp"]);
        File.WriteAllText(_scratch["wrong"], "not-the-password");
        var options = new AlertOptions
        {
            Channels =
            [
                new() { Type = AlertChannelType.Webhook, Url = hook.Url() },
                new() { Type = AlertChannelType.Ntfy, Name = "phone", Url = $"http://127.0.0.1:{NginxProcess.FreePort(System.Net.IPAddress.Loopback)}/fleet" },
                new() { Type = AlertChannelType.Email, Host = "127.0.0.1", Port = smtp.Port, Username = SmtpReceiver.User, PasswordFile = _scratch["wrong"], From = "geodns@example.test", To = ["me@example.test"] },
            ],
        };
        using var http = new HttpClient();
        await using var alerts = new AlertDispatcher("geodns-sidecar", options, [.. options.Channels.Select(c => AlertChannels.Create(c, http, smtp.Trust))], new MemoryAlertLog(), TimeProvider.System);

        var results = await alerts.TestAsync(CancellationToken.None);

        Assert.Equal([$"webhook 127.0.0.1", "phone", "email 127.0.0.1"], results.Select(r => r.Channel));
        Assert.Null(results[0].Error);
        Assert.Contains("Connection refused", results[1].Error);
        Assert.Contains("535", results[2].Error); // the login refused
        Assert.Contains("test message", Assert.Single(hook.Requests).Body);
    }

    [Fact]
    public async Task AlertsTest_TheCommand_OneLinePerChannel_Exit1WhenOneFailed()
    {
        using var hook = new HttpReceiver();
        var closed = NginxProcess.FreePort(System.Net.IPAddress.Loopback);
        File.WriteAllText(_scratch["sidecar.json"], $$"""
            { "alerts": { "channels": [ { "type": "webhook", "url": "{{hook.Url()}}" }, { "type": "ntfy", "name": "phone", "url": "http://127.0.0.1:{{closed}}/fleet" } ] } }
            """);
        var (output, error) = (new StringWriter(), new StringWriter());

        var code = await new Cli.SidecarCommandLine().InvokeAsync(["--config", _scratch["sidecar.json"], "alerts", "test"], output, error, CancellationToken.None);

        Assert.True(code == 1, output.ToString() + error);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("ok    webhook 127.0.0.1", lines[0]);
        Assert.StartsWith("FAIL  phone: Connection refused", lines[1]);
        Assert.Contains("test message", Assert.Single(hook.Requests).Body);
    }

    [Theory]
    [InlineData("smtp.example.net", "none", "alerts.channels[0].security: none would send the password in clear to smtp.example.net")]
    [InlineData("127.0.0.1", "none", null)]
    [InlineData("smtp.example.net", "starttls", null)]
    public void AnSmtpLogin_InClear_OnlyToThisMachine(string host, string security, string? problem)
    {
        var options = new SidecarAlertOptionsProbe(host, Enum.Parse<SmtpSecurity>(security, ignoreCase: true)).Options;

        var problems = options.Problems().ToList();

        if (problem is null) Assert.Empty(problems);
        else Assert.StartsWith(problem, Assert.Single(problems), StringComparison.Ordinal);
    }

    private sealed record SidecarAlertOptionsProbe(string Host, SmtpSecurity Security)
    {
        public AlertOptions Options => new()
        {
            Channels = [new() { Type = AlertChannelType.Email, Host = Host, Security = Security, Username = "u", PasswordFile = "/etc/geodns/smtp.password", From = "a@example.net", To = ["b@example.net"] }],
        };
    }

    public void Dispose() => _scratch.Dispose();
}
