using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// The ACME DNS-01 path end to end with real parts: certbot's dns-rfc2136 plugin sends TSIG-signed UPDATEs to
/// GeoDns, pebble (a test ACME CA) validates by asking GeoDns for the TXT records, and a wildcard certificate
/// comes out. Skipped when certbot, its rfc2136 plugin or pebble is missing (`.ci/run` installs them).
/// </summary>
public sealed class AcmeDns01Tests
{
    [SkippableFact]
    public async Task Certbot_Rfc2136_GetsWildcardCertificateFromPebble()
    {
        Skip.IfNot(ExternalTool.Exists("certbot") && ExternalTool.Exists("pebble"), "certbot or pebble not installed (apt-get install certbot python3-certbot-dns-rfc2136 pebble)");
        var plugins = await ExternalTool.RunAsync("certbot", ["plugins", "--config-dir", "/tmp", "--work-dir", "/tmp", "--logs-dir", "/tmp"]);
        Skip.IfNot(plugins!.All.Contains("dns-rfc2136"), "certbot's dns-rfc2136 plugin is not installed (apt-get install python3-certbot-dns-rfc2136)");

        await using var x = await ExchangeServer.StartAsync();
        var work = Path.Combine(x.Directory, "acme");
        Directory.CreateDirectory(work);
        var (acmePort, managementPort) = (FreePort.Pick(), FreePort.Pick());
        WriteTlsPair(work);
        File.WriteAllText(Path.Combine(work, "pebble.json"), $$"""
            { "pebble": { "listenAddress": "127.0.0.1:{{acmePort}}", "managementListenAddress": "127.0.0.1:{{managementPort}}",
              "certificate": "{{work}}/cert.pem", "privateKey": "{{work}}/key.pem", "httpPort": 5002, "tlsPort": 5001,
              "ocspResponderURL": "", "externalAccountBindingRequired": false } }
            """);
        // pebble validates DNS-01 against our server only: nothing leaves loopback.
        using var pebble = new ExternalTool.Daemon("pebble", ["-config", Path.Combine(work, "pebble.json"), "-dnsserver", $"127.0.0.1:{x.Port}"],
            new Dictionary<string, string> { ["PEBBLE_VA_NOSLEEP"] = "1", ["PEBBLE_WFE_NONCEREJECT"] = "0", ["PEBBLE_AUTHZREUSE"] = "0" });
        var secret = File.ReadAllText(x.AcmeKey).Split('"')[3];
        var credentials = Path.Combine(work, "rfc2136.ini");
        File.WriteAllText(credentials, $"dns_rfc2136_server = 127.0.0.1\ndns_rfc2136_port = {x.Port}\ndns_rfc2136_name = acme\ndns_rfc2136_secret = {secret}\ndns_rfc2136_algorithm = HMAC-SHA512\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(credentials, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await WaitForListener(acmePort, pebble);

        var certbot = await ExternalTool.RunAsync("certbot", [
            "certonly", "--non-interactive", "--agree-tos", "--email", "admin@example.com", "--no-verify-ssl",
            "--server", $"https://127.0.0.1:{acmePort}/dir",
            "--config-dir", Path.Combine(work, "config"), "--work-dir", Path.Combine(work, "work"), "--logs-dir", Path.Combine(work, "logs"),
            "--authenticator", "dns-rfc2136", "--dns-rfc2136-credentials", credentials, "--dns-rfc2136-propagation-seconds", "1",
            "-d", "*.example.com", "-d", "example.com"], timeoutMs: 120_000);

        Assert.True(certbot!.ExitCode == 0, $"certbot failed:\n{certbot.All}\npebble:\n{pebble.Log}");
        using var issued = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(work, "config", "live", "example.com", "cert.pem")));
        var names = issued.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().Order().ToArray();
        Assert.Equal(["*.example.com", "example.com"], names);
        // certbot's cleanup deleted the challenge records again.
        Assert.Empty(x.Server.Service.Observations.DynamicRecords(GeoDns.Protocol.DnsName.Parse("example.com"))!);
    }

    /// <summary>pebble's HTTPS listener needs a certificate; certbot is told not to verify it (--no-verify-ssl, test CA only).</summary>
    private static void WriteTlsPair(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=pebble test listener", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllText(Path.Combine(directory, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "key.pem"), key.ExportPkcs8PrivateKeyPem());
    }

    private static async Task WaitForListener(int port, ExternalTool.Daemon daemon)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline && !daemon.Exited)
            {
                await Task.Delay(100);
            }
        }
    }
}
