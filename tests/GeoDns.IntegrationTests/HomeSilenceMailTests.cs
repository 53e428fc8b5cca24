using System.Net.Http.Headers;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// The nameserver's own alert by e-mail, from the server binary as the unit runs it, to a real SMTP server that
/// requires STARTTLS and a login: the home silent, then back. Its own class, so it runs beside the webhook's.
/// </summary>
public sealed class HomeSilenceMailTests
{
    [SkippableFact]
    public async Task SilentHome_ReachesAnInbox_OverStartTlsWithALogin_FromTheServerBinary()
    {
        Skip.If(SmtpReceiver.Missing is not null, SmtpReceiver.Missing);
        using var directory = new TempDirectory();
        using var smtp = await SmtpReceiver.StartAsync(directory["smtp"]);
        directory.Write("zones/example.com.zone", TestServer.ExampleZone);
        // Beside the config and named relative to it, as the fleet's bundle installs it.
        directory.Write("smtp.password", SmtpReceiver.Password + "\n");
        directory.Write("geodns.json", $$"""
            {
              "name": "ns-mail", "adminToken": "{{TestServer.AdminToken}}",
              "alerts": {
                "homeSilentAfter": "1s", "groupWindow": "0s",
                "channels": [ { "type": "email", "host": "127.0.0.1", "port": {{smtp.Port}}, "username": "{{SmtpReceiver.User}}", "passwordFile": "smtp.password",
                                "from": "ns-mail@example.test", "to": ["me@example.test"] } ]
              }
            }
            """);
        // The receiver's own certificate is the only CA the server trusts, as a system store trusts a provider's.
        await using var server = await ServerProcess.StartAsync(directory.Path, new Dictionary<string, string> { ["SSL_CERT_FILE"] = Path.Combine(directory["smtp"], "cert.pem") });

        var mail = Assert.Single(await smtp.WaitAsync(1));
        // 1 s or a little more: the binary's start (JIT, the first probe round) can hold up its timer.
        Assert.Matches(@"Subject: ns-mail: the home has not reached this nameserver for \d+ s\r\n", mail);
        Assert.Contains($"X-Login: {SmtpReceiver.User}", mail);
        Assert.Contains("X-Tls: True", mail);

        using var home = server.NewHttpClient();
        home.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestServer.AdminToken);
        await home.GetStringAsync("/healthz");

        var mails = await smtp.WaitAsync(2);
        Assert.Equal(2, mails.Count);
        Assert.Contains("Subject: ns-mail: resolved: the home reaches this nameserver again", mails[1]);
    }
}
