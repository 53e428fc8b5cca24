using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using GeoDns.Contracts;

namespace GeoDns.Sidecar.Check;

/// <summary>
/// One serving edge as a browser meets it: TLS to its address with the site's name (SNI), the certificate judged as a
/// browser judges it (chain to a trusted root, name, dates), then one request home through it. Both on one
/// connection, so a certificate a browser would refuse still lets the request tell whether the way home works.
/// </summary>
public static class EdgeCheck
{
    public static async Task<IReadOnlyList<CheckResult>> RunAsync(FleetView fleet, EdgeView edge, CancellationToken cancel)
    {
        var address = edge.Addresses.Where(a => a.InAnswers).Select(a => IPAddress.Parse(a.Address))
            .OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First();
        var endpoint = new IPEndPoint(address, fleet.Check.HttpsPort);
        var (certificateWhat, requestWhat) = ($"certificate at {edge.Name} ({address})", $"request home through {edge.Name}");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(fleet.Timeout);
        using var tcp = new TcpClient(address.AddressFamily);
        X509Certificate2? presented = null;
        var errors = SslPolicyErrors.None;
        X509ChainStatusFlags chainStatus = X509ChainStatusFlags.NoError;
        try
        {
            await tcp.ConnectAsync(endpoint, limit.Token);
            await using var tls = new SslStream(tcp.GetStream());
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = fleet.Domain,
                // Judged below, after the request: a refused certificate must not hide whether the way home works.
                RemoteCertificateValidationCallback = (_, certificate, chain, policyErrors) =>
                {
                    presented = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    errors = policyErrors;
                    chainStatus = chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status) ?? X509ChainStatusFlags.NoError;
                    return true;
                },
            };
            if (fleet.Roots is { } roots)
            {
                options.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
                options.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
            }
            await tls.AuthenticateAsClientAsync(options, limit.Token);
            var certificate = Certificate(fleet, edge, presented, errors, chainStatus, certificateWhat);
            var request = await RequestAsync(fleet, edge, tls, requestWhat, limit.Token);
            return [certificate, request];
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException or OperationCanceledException && !cancel.IsCancellationRequested)
        {
            var why = e is OperationCanceledException ? $"no answer from {endpoint} within {fleet.Timeout.TotalSeconds:0.#} s" : $"{endpoint}: {e.Message}";
            var fix = $"{edge.Name}'s nginx does not take HTTPS: see `tunnel {edge.Name}` and the edge's nginx; `geodns-sidecar rotate {edge.Name}` replaces it";
            return presented is null
                ? [CheckResult.Fail(certificateWhat, why, fix), CheckResult.Fail(requestWhat, "no TLS connection", fix)]
                : [Certificate(fleet, edge, presented, errors, chainStatus, certificateWhat), CheckResult.Fail(requestWhat, why, fix)];
        }
        finally
        {
            presented?.Dispose();
        }
    }

    private static CheckResult Certificate(FleetView fleet, EdgeView edge, X509Certificate2? certificate, SslPolicyErrors errors, X509ChainStatusFlags chain, string what)
    {
        var install = $"install the home's certificate on the edges: `geodns-sidecar certificates`";
        if (certificate is null) return CheckResult.Fail(what, "presented no certificate", install);
        var now = fleet.Time.GetUtcNow();
        var daysLeft = (int)Math.Floor((certificate.NotAfter.ToUniversalTime() - now.UtcDateTime).TotalDays);
        var subject = certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false);
        if (certificate.NotAfter.ToUniversalTime() < now.UtcDateTime)
            return CheckResult.Fail(what, $"the certificate for {subject} expired {Date(certificate.NotAfter)} ({-daysLeft} days ago)",
                $"renew it at home (certbot renew), then {install}");
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return CheckResult.Fail(what, $"presents a certificate for {subject}, not {fleet.Domain}", install);
        if (errors != SslPolicyErrors.None)
            return CheckResult.Fail(what, $"the certificate for {subject} is not trusted ({(chain == X509ChainStatusFlags.NoError ? errors.ToString() : chain.ToString())})",
                $"the edge must serve fullchain.pem (with the intermediates), not cert.pem: {install}");
        var detail = $"{fleet.Domain}, {daysLeft} days left";
        return CheckResult.Pass(what, daysLeft < fleet.Check.CertificateWarningDays
            ? $"{detail} — warning: fewer than {fleet.Check.CertificateWarningDays} days; is certbot renewing it?"
            : detail);
    }

    private static async Task<CheckResult> RequestAsync(FleetView fleet, EdgeView edge, SslStream tls, string what, CancellationToken cancel)
    {
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET {fleet.Check.Path} HTTP/1.1\r\nHost: {fleet.Domain}\r\nUser-Agent: geodns-sidecar-check\r\nConnection: close\r\n\r\n"), cancel);
        await tls.FlushAsync(cancel);
        var buffer = new byte[512];
        var head = new StringBuilder();
        while (!head.ToString().Contains('\n', StringComparison.Ordinal))
        {
            var read = await tls.ReadAsync(buffer, cancel);
            if (read == 0) break;
            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        var status = head.ToString().Split('\n')[0].Trim();
        var parts = status.Split(' ', 3);
        if (parts.Length >= 2 && parts[1] == "200") return CheckResult.Pass(what, $"GET https://{fleet.Domain}{fleet.Check.Path} at {edge.Name}: 200");
        return CheckResult.Fail(what, $"GET https://{fleet.Domain}{fleet.Check.Path} at {edge.Name}: {(status == "" ? "no answer" : status)}",
            $"the way home from {edge.Name} is broken: see `tunnel {edge.Name}` below, the home's nginx and the app (502/504: the tunnel or the app; 404: check.path)");
    }

    private static string Date(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
