using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace GeoDns.Lab;

/// <summary>
/// A client as browsers are: for every request a fresh lookup through the system resolver
/// (getaddrinfo, so /etc/resolv.conf of the namespace: the lab's unbound), then a new connection
/// to the addresses in the order given, the next one when a connect fails or takes over 1 s, then
/// HTTPS with the certificate checked against the lab CA. RATE requests a second for SECONDS,
/// each cut off after 4 s; one process instead of a curl per request keeps the 2-core machine
/// measuring the system, not its own forks. One line per request:
///   launch-time error(0 = none) http-status served-by-address total-seconds
/// </summary>
public static class ClientLoop
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(4);

    public static async Task<int> RunAsync(string name, int rate, int seconds, string caFile, string output)
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(caFile);
        using var writer = new StreamWriter(output, append: true) { AutoFlush = true };
        var gate = new object();
        // One request first, not logged: the JIT, TLS and resolver set-up of this process are the
        // tool's start-up, not something the system under test did.
        await OneAsync(name, ca);
        var clock = Stopwatch.StartNew();
        var requests = new List<Task>();
        for (var i = 0; i < rate * seconds; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
            requests.Add(Task.Run(async () =>
            {
                var line = await OneAsync(name, ca);
                lock (gate) writer.WriteLine(line);
            }));
        }
        await Task.WhenAll(requests);
        return 0;
    }

    private static async Task<string> OneAsync(string name, X509Certificate2 ca)
    {
        var launched = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var watch = Stopwatch.StartNew();
        string? served = null;
        using var deadline = new CancellationTokenSource(RequestTimeout);
        using var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.Zero,
            UseProxy = false,
            ConnectCallback = async (context, cancel) =>
            {
                var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, AddressFamily.InterNetwork, cancel);
                Exception? last = null;
                foreach (var address in addresses)
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                    attempt.CancelAfter(ConnectTimeout);
                    try
                    {
                        await socket.ConnectAsync(address, context.DnsEndPoint.Port, attempt.Token);
                        served = address.ToString();
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch (Exception e) when (e is SocketException or OperationCanceledException && !cancel.IsCancellationRequested)
                    {
                        socket.Dispose();
                        last = e;
                    }
                }
                throw last ?? new SocketException((int)SocketError.HostNotFound);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, presented, errors) => Trusted(certificate, presented, errors, ca),
            },
        };
        using var client = new HttpMessageInvoker(handler);
        var error = "0";
        var status = 0;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{name}/");
            using var response = await client.SendAsync(request, deadline.Token);
            await response.Content.ReadAsByteArrayAsync(deadline.Token);
            status = (int)response.StatusCode;
        }
        catch (OperationCanceledException)
        {
            error = "timeout";
        }
        catch (HttpRequestException e)
        {
            error = e.HttpRequestError.ToString();
        }
        return string.Create(CultureInfo.InvariantCulture, $"{launched:F3} {error} {(status == 0 ? "000" : status)} {served ?? "-"} {watch.Elapsed.TotalSeconds:F3}");
    }

    private static bool Trusted(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2 ca)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) return false;
        using var chain = new X509Chain();
        if (presented is not null)
            foreach (var element in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
