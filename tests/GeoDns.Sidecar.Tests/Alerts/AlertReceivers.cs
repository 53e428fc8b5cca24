using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GeoDns.Sidecar.Tests.Alerts;

/// <summary>A real HTTP server on loopback standing in for a webhook or ntfy: it keeps every request, and fails the first <see cref="FailFirst"/> with 503.</summary>
public sealed class HttpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<Received> _received = [];
    private readonly Task _loop;

    public HttpReceiver(int failFirst = 0)
    {
        FailFirst = failFirst;
        Port = NginxProcess.FreePort(IPAddress.Loopback);
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, string Body);

    public int Port { get; }
    public int FailFirst { get; set; }
    public int Refused { get; private set; }
    public string Url(string path = "hook") => $"http://127.0.0.1:{Port}/{path}";

    public IReadOnlyList<Received> Requests
    {
        get { lock (_received) return [.. _received]; }
    }

    /// <summary>Waits (at most 20 s) until <paramref name="count"/> requests were accepted.</summary>
    public async Task<IReadOnlyList<Received>> WaitAsync(int count)
    {
        for (var clock = Stopwatch.StartNew(); Requests.Count < count && clock.Elapsed < TimeSpan.FromSeconds(20);) await Task.Delay(50);
        return Requests;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            if (Refused < FailFirst)
            {
                Refused++;
                context.Response.StatusCode = 503;
            }
            else
            {
                var headers = context.Request.Headers.AllKeys.OfType<string>().ToDictionary(k => k, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
                lock (_received) _received.Add(new Received(context.Request.Url!.AbsolutePath, headers, body));
                context.Response.StatusCode = 200;
            }
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}

/// <summary>A real SMTP server (python3-aiosmtpd, smtp_receiver.py): STARTTLS with its own certificate, one login, messages as files.</summary>
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
        var port = NginxProcess.FreePort(IPAddress.Loopback);
        var process = Process.Start(new ProcessStartInfo("/usr/bin/python3",
            [Path.Combine(AppContext.BaseDirectory, "Alerts", "smtp_receiver.py"), port.ToString(System.Globalization.CultureInfo.InvariantCulture),
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
