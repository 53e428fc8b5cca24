using System.Net;
using System.Net.Sockets;
using GeoDns.Health;
using GeoDns.Testing;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Tests.Health;

public sealed class HttpsProbeTests : IDisposable
{
    private const string Host = "edge.test";
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task SelfSigned_Untrusted_FailsNamingTheCertificateProblem()
    {
        await using var server = new TlsTestServer(TestCertificates.SelfSigned(Host, TimeSpan.FromDays(30)));

        var result = await new HttpsProbe(TimeProvider.System).ProbeAsync(Target(server), Generous, CancellationToken.None);

        Assert.False(result.Success);
        Assert.StartsWith("certificate: RemoteCertificateChainErrors", result.Error);
    }

    [Fact]
    public async Task SelfSigned_AllowInvalid_SucceedsWithDaysLeft()
    {
        await using var server = new TlsTestServer(TestCertificates.SelfSigned(Host, TimeSpan.FromDays(30)));

        var result = await new HttpsProbe(TimeProvider.System).ProbeAsync(Target(server, new ProbeSettings { AllowInvalidCertificate = true, Timeout = Generous }), Generous, CancellationToken.None);

        Assert.True(result.Success, result.Error);
        Assert.InRange(result.CertificateDaysLeft!.Value, 29, 30);
    }

    [Fact]
    public async Task TrustedRoot_ValidCertificate_Succeeds_SendingHostPathAndSni()
    {
        await using var server = new TlsTestServer(_certificates.Issue(Host, TimeSpan.FromDays(91)));

        var result = await new HttpsProbe(TimeProvider.System, _certificates.Roots)
            .ProbeAsync(Target(server, new ProbeSettings { Path = "/healthz", Timeout = Generous }), Generous, CancellationToken.None);

        Assert.True(result.Success, result.Error);
        Assert.InRange(result.CertificateDaysLeft!.Value, 89, 90);
        Assert.Equal([Host], server.ServerNames);
        var head = Assert.Single(server.Requests);
        Assert.StartsWith("GET /healthz HTTP/1.1\r\n", head);
        Assert.Contains($"\r\nHost: {Host}:{server.Port}\r\n", head);
    }

    [Fact]
    public async Task TrustedRoot_WrongName_FailsWithNameMismatch()
    {
        await using var server = new TlsTestServer(_certificates.Issue("other.test", TimeSpan.FromDays(30)));

        var result = await new HttpsProbe(TimeProvider.System, _certificates.Roots).ProbeAsync(Target(server), Generous, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Equal("certificate: RemoteCertificateNameMismatch", result.Error);
    }

    [Fact]
    public async Task TrustedRoot_Expired_FailsSayingWhen_WithNegativeDaysLeft()
    {
        var expired = _certificates.Issue(Host, TimeSpan.FromDays(10), notBefore: DateTimeOffset.UtcNow.AddDays(-12));
        await using var server = new TlsTestServer(expired);

        var result = await new HttpsProbe(TimeProvider.System, _certificates.Roots).ProbeAsync(Target(server), Generous, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Equal($"certificate: expired at {expired.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC", result.Error);
        Assert.Equal(-3, result.CertificateDaysLeft);
    }

    [Fact]
    public async Task AllowInvalid_Expired_StillFails_UsersWouldGetABrowserError()
    {
        await using var server = new TlsTestServer(TestCertificates.SelfSigned(Host, TimeSpan.FromDays(30)));
        // The certificate expires on the probe's clock: a month later.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(31));
        var settings = new ProbeSettings { AllowInvalidCertificate = true, Timeout = Generous };

        var result = await new HttpsProbe(time).ProbeAsync(Target(server, settings), Generous, CancellationToken.None);

        Assert.False(result.Success);
        Assert.StartsWith("certificate: expired at ", result.Error);
        Assert.Equal(-2, result.CertificateDaysLeft);
    }

    [Fact]
    public async Task SelfSigned_Untrusted_NoDaysLeft_AStandInsDaysMeanNothing()
    {
        await using var server = new TlsTestServer(TestCertificates.SelfSigned(Host, TimeSpan.FromDays(2)));

        var result = await new HttpsProbe(TimeProvider.System).ProbeAsync(Target(server), Generous, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Null(result.CertificateDaysLeft);
    }

    [Fact]
    public async Task UnexpectedStatus_Fails()
    {
        await using var server = new TlsTestServer(_certificates.Issue(Host, TimeSpan.FromDays(30)), status: 503);

        var result = await new HttpsProbe(TimeProvider.System, _certificates.Roots).ProbeAsync(Target(server), Generous, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Equal("status 503, expected 200", result.Error);
    }

    [Fact]
    public async Task ExpectedStatusOtherThan200_Succeeds()
    {
        await using var server = new TlsTestServer(_certificates.Issue(Host, TimeSpan.FromDays(30)), status: 204);

        var result = await new HttpsProbe(TimeProvider.System, _certificates.Roots)
            .ProbeAsync(Target(server, new ProbeSettings { ExpectedStatus = 204, Timeout = Generous }), Generous, CancellationToken.None);

        Assert.True(result.Success, result.Error);
    }

    [Fact]
    public async Task ClosedPort_Fails_ConnectionRefused()
    {
        var target = new ProbeTarget(IPAddress.Loopback, new ProbeSettings { Type = "https", Port = TcpConnectProbeTests.ClosedPort(), Host = Host });

        var result = await new HttpsProbe(TimeProvider.System).ProbeAsync(target, Generous, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Equal("connection refused", result.Error);
    }

    [Fact]
    public async Task SilentEdge_TimesOutOnTheInjectedClock()
    {
        await using var server = new TlsTestServer(_certificates.Issue(Host, TimeSpan.FromDays(30)), handshake: false);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);

        var probing = new HttpsProbe(time, _certificates.Roots).ProbeAsync(Target(server, new ProbeSettings()), TimeSpan.FromMilliseconds(300), CancellationToken.None);
        await Eventually.True(() => server.Accepted == 1, "the probe connects");
        time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.False(probing.IsCompleted); // the short timeout bounds the handshake only: what follows has the whole Timeout
        time.Advance(TimeSpan.FromSeconds(1.7));
        var result = await probing.WaitAsync(Eventually.Bound);

        Assert.False(result.Success);
        Assert.Equal("timeout after 2000 ms", result.Error);
        Assert.False(result.NoReply); // it connected: the path works
    }

    [Fact]
    public async Task BlackHoledEdge_ConnectTimesOutOnItsOwnTimeout_NoReply()
    {
        using var blackHoled = new BlackHoledPort();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var target = new ProbeTarget(IPAddress.Loopback, new ProbeSettings { Type = "https", Port = blackHoled.Port, Host = Host });

        var probing = new HttpsProbe(time).ProbeAsync(target, TimeSpan.FromMilliseconds(300), CancellationToken.None);
        // 100 ms steps: the handshake's timer starts a moment after the call, on the thread pool.
        await Eventually.True(() => { time.Advance(TimeSpan.FromMilliseconds(100)); return probing.IsCompleted; }, "the probe gives up");
        var result = await probing;

        Assert.Equal((false, "connect timeout after 300 ms", true), (result.Success, result.Error, result.NoReply));
    }

    /// <summary>Real-time probes of a real TLS server: a loaded machine may take seconds for a first handshake.</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(15);

    private static ProbeTarget Target(TlsTestServer server, ProbeSettings? settings = null) =>
        new(IPAddress.Loopback, (settings ?? new ProbeSettings { Timeout = Generous }) with { Type = "https", Port = server.Port, Host = Host });
}
