using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GeoDns.Testing;

/// <summary>A real SMTP server (python3-aiosmtpd, tests/Shared/smtp_receiver.py): STARTTLS with its own certificate, one login, messages as files.</summary>
public sealed class SmtpReceiver : IDisposable
{
    private readonly Process _process;

    private SmtpReceiver(Process process, string directory, int port, X509Certificate2 certificate) =>
        (_process, Directory, Port, Certificate) = (process, directory, port, certificate);

    public const string User = "alerts@example.test";
    public const string Password = "smtp-test-password";

    public string Directory { get; }
    public int Port { get; }
    public X509Certificate2 Certificate { get; }

    public static string? Missing => File.Exists("/usr/bin/python3") && System.IO.Directory.Exists("/usr/lib/python3/dist-packages/aiosmtpd")
        ? null : "needs python3-aiosmtpd (apt-get install python3-aiosmtpd)";

    public static async Task<SmtpReceiver> StartAsync(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(directory, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        var port = FreePort.Pick();
        var process = Process.Start(new ProcessStartInfo("/usr/bin/python3",
            [Path.Combine(AppContext.BaseDirectory, "smtp_receiver.py"), port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             Path.Combine(directory, "cert.pem"), Path.Combine(directory, "key.pem"), User, Password, Path.Combine(directory, "mail")])
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        if (ready != "ready")
        {
            process.Kill();
            Assert.Fail($"smtp_receiver.py did not start: {ready} {await process.StandardError.ReadToEndAsync()}");
        }
        return new SmtpReceiver(process, directory, port, certificate);
    }

    /// <summary>Trusts exactly this receiver's certificate, as a system CA store would trust a real server's.</summary>
    public bool Trust(object sender, X509Certificate? certificate, X509Chain? chain, System.Net.Security.SslPolicyErrors errors) =>
        certificate is not null && certificate.GetCertHashString() == Certificate.GetCertHashString();

    /// <summary>The messages received so far (each with the X-Login and X-Tls lines the receiver adds), waiting up to 20 s for <paramref name="count"/>.</summary>
    public async Task<IReadOnlyList<string>> WaitAsync(int count)
    {
        var mail = Path.Combine(Directory, "mail");
        string[] Files() => System.IO.Directory.Exists(mail) ? System.IO.Directory.GetFiles(mail, "*.eml").Order(StringComparer.Ordinal).ToArray() : [];
        for (var clock = Stopwatch.StartNew(); Files().Length < count && clock.Elapsed < TimeSpan.FromSeconds(20);) await Task.Delay(50);
        return Files().Select(File.ReadAllText).ToList();
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // exited already
        }
        _process.Dispose();
        Certificate.Dispose();
    }
}
