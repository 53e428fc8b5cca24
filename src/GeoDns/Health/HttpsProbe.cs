using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace GeoDns.Health;

/// <summary>
/// Healthy means a GET over TLS answers with the expected status within the timeout. The request
/// goes to the target's literal address (never through DNS: we are the DNS), with the configured
/// host as Host header and SNI, and the certificate must be valid for that host unless the
/// settings allow otherwise; an expired one never passes. <paramref name="trustedRoots"/> are trusted on top of the system
/// store, for edges whose certificates come from a private CA.
/// </summary>
public sealed class HttpsProbe(TimeProvider time, X509Certificate2Collection? trustedRoots = null) : IProbe
{
    public Task<HoldEnd> HoldAsync(ProbeTarget target, CancellationToken ct) => HeldConnection.HoldAsync(target, time, ct);

    public async Task<ProbeResult> ProbeAsync(ProbeTarget target, TimeSpan connectTimeout, CancellationToken ct)
    {
        var settings = target.Settings;
        var host = settings.Host ?? target.Address.ToString();
        var certificate = new CertificateCheck(time, trustedRoots, settings.AllowInvalidCertificate);
        TimeSpan? connectLatency = null;
        var connectTimedOut = false;
        var started = time.GetTimestamp();
        // The connect goes to the target's literal address whatever host the URI names.
        // A handler per probe, not a shared one: each probe must open its own connection anyway,
        // and a shared pool could serve one edge's probe on a connection to another edge with the same host.
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                // The handshake has the target's adaptive timeout: a black-holed edge is given up on
                // in its time; a slow backend behind a working edge gets the whole Timeout to answer.
                var socket = new Socket(target.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    if (!await TcpHandshake.ConnectAsync(socket, new IPEndPoint(target.Address, target.Settings.Port), connectTimeout, time, token))
                    {
                        connectTimedOut = true;
                        throw new TimeoutException(ProbeErrors.Timeout(connectTimeout));
                    }
                    connectLatency = time.GetElapsedTime(started);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            PooledConnectionLifetime = TimeSpan.Zero,
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            SslOptions = { TargetHost = host, RemoteCertificateValidationCallback = certificate.Validate },
        };
        using var invoker = new HttpMessageInvoker(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, RequestUri(host, settings));
        request.Headers.ConnectionClose = true;
        request.Headers.UserAgent.ParseAdd("GeoDns-probe/1");

        // The timeout covers connect, handshake and response headers, and runs on the injected clock.
        using var deadline = new CancellationTokenSource(settings.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            using var response = await invoker.SendAsync(request, linked.Token);
            var status = (int)response.StatusCode;
            return status == settings.ExpectedStatus
                ? Result(null)
                : Result($"status {status}, expected {settings.ExpectedStatus}");
        }
        catch (Exception) when (connectTimedOut && !ct.IsCancellationRequested)
        {
            return Result("connect " + ProbeErrors.Timeout(connectTimeout), noReply: true);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Once the handshake completed the edge did reply (only slowly): the path works.
            return Result(ProbeErrors.Timeout(settings.Timeout), noReply: connectLatency is null);
        }
        catch (HttpRequestException e)
        {
            if (certificate.Rejected) return Result(certificate.Problem ?? "certificate: rejected");
            if (ProbeErrors.FindSocketError(e) is { } socket) return Result(ProbeErrors.Describe(socket), ProbeErrors.IsNoReply(socket));
            return Result($"https: {e.HttpRequestError}: {Innermost(e).Message}");
        }

        ProbeResult Result(string? error, bool noReply = false) =>
            new(error is null, time.GetElapsedTime(started), time.GetUtcNow(), error, certificate.DaysLeft, noReply, connectLatency);
    }

    private static Uri RequestUri(string host, ProbeSettings settings)
    {
        var authority = IPAddress.TryParse(host, out var literal) && literal.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{literal}]" : host;
        var path = settings.Path.StartsWith('/') ? settings.Path : "/" + settings.Path;
        return new Uri($"https://{authority}:{settings.Port}{path}");
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
