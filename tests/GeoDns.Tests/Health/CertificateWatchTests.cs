using System.Net;
using GeoDns.Health;
using Microsoft.Extensions.Logging;

namespace GeoDns.Tests.Health;

public sealed class CertificateWatchTests
{
    private static readonly ProbeTarget Edge = new(IPAddress.Parse("192.0.2.11"), new ProbeSettings { Type = "https", Host = "app.example.com" });

    private readonly RecordingLogger<CertificateWatch> _log = new();

    [Fact]
    public void DaysFallingBelowTheThreshold_OneWarningPerCrossing_OneLineOnRenewal()
    {
        var watch = new CertificateWatch(_log);
        void Days(int? days, bool success = true) =>
            watch.Observe((Edge, new ProbeResult(success, TimeSpan.Zero, DateTimeOffset.UnixEpoch, success ? null : "connection refused", days)));

        Days(20);
        Days(14);
        Assert.Empty(_log.Entries);
        Days(13);
        Days(12);
        Days(null, success: false); // refused: no certificate seen, nothing changes
        Days(12);
        var (level, message) = Assert.Single(_log.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Equal("Certificate of https://192.0.2.11:443 (app.example.com) has 13 day(s) left, below probe.certificateWarningDays (14): " +
            "renew it at home and push it to the edges (geodns-sidecar certificates)", message);

        Days(89);
        Days(88);
        Assert.Equal((LogLevel.Information, "Certificate of https://192.0.2.11:443 (app.example.com) renewed: 89 day(s) left"), _log.Entries.Last());
        Assert.Equal(2, _log.Entries.Count);
    }

    [Fact]
    public void Expired_WarnedOnceWhetherOrNotItWasLowBefore()
    {
        var watch = new CertificateWatch(_log);
        foreach (var days in new[] { 3, -1, -1, -2 })
            watch.Observe((Edge, new ProbeResult(days >= 0, TimeSpan.Zero, DateTimeOffset.UnixEpoch, days >= 0 ? null : "certificate: expired at 2026-12-01 10:00 UTC", days)));

        Assert.Equal(2, _log.Entries.Count);
        Assert.Equal("Certificate of https://192.0.2.11:443 (app.example.com) has expired: its probes fail, so the edge leaves the answers until a valid one is installed",
            _log.Entries.Last().Message);
    }

    [Fact]
    public void ThresholdZero_NoLowWarning_ExpiryStillLogged()
    {
        var target = Edge with { Settings = Edge.Settings with { CertificateWarningDays = 0 } };
        var watch = new CertificateWatch(_log);

        watch.Observe((target, new ProbeResult(true, TimeSpan.Zero, DateTimeOffset.UnixEpoch, null, 0)));
        Assert.Empty(_log.Entries);
        watch.Observe((target, new ProbeResult(false, TimeSpan.Zero, DateTimeOffset.UnixEpoch, "certificate: expired", -1)));
        Assert.Equal(LogLevel.Warning, Assert.Single(_log.Entries).Level);
    }

    [Fact]
    public void EachTargetOnItsOwn()
    {
        var watch = new CertificateWatch(_log);
        var other = Edge with { Address = IPAddress.Parse("192.0.2.12") };

        watch.Observe((Edge, new ProbeResult(true, TimeSpan.Zero, DateTimeOffset.UnixEpoch, null, 5)));
        watch.Observe((other, new ProbeResult(true, TimeSpan.Zero, DateTimeOffset.UnixEpoch, null, 5)));
        watch.Observe((Edge, new ProbeResult(true, TimeSpan.Zero, DateTimeOffset.UnixEpoch, null, 4)));

        Assert.Equal(2, _log.Entries.Count);
        Assert.Contains("192.0.2.12", _log.Entries.Last().Message);
    }
}
