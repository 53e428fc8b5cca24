using GeoDns.Pools;
using GeoDns.Protocol;
using GeoDns.Zones;

namespace GeoDns.Tests.Pools;

public sealed class PoolSetBuilderTests
{
    private static IReadOnlyList<string> Errors(Action<PoolOptions> change)
    {
        var pool = PoolFixture.App();
        change(pool);
        return PoolSetBuilder.Build([pool], PoolFixture.Zones()).Errors;
    }

    [Fact]
    public void ValidPool_ThreeEdgesFourTargets()
    {
        var pools = PoolFixture.Build(PoolFixture.App());

        Assert.Equal(3, pools.Pools[0].Edges.Count);
        Assert.Equal(["tcp://127.0.0.11:443", "tcp://[::11]:443", "tcp://127.0.0.12:443", "tcp://127.0.0.13:443"], pools.Targets().Select(t => t.ToString()));
    }

    [Fact]
    public void TwoPoolsSharingAnEdge_OneProbeTarget()
    {
        var other = PoolFixture.App();
        other.Name = "api.example.com";

        var pools = PoolFixture.Build(PoolFixture.App(), other);

        Assert.Equal(4, pools.Targets().Count);
    }

    [Theory]
    [InlineData("pools[0].edges[1].ipv4: '127.0.0.999' is not an IPv4 address")]
    public void BadAddress_ErrorNamesTheKey(string expected) =>
        Assert.Equal([expected], Errors(p => p.Edges[1].Ipv4 = "127.0.0.999"));

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("../etc")]
    [InlineData("edge 1")]
    [InlineData("-edge")]
    public void EdgeNameThatIsNoPathSegment_Rejected(string name) =>
        Assert.Equal([$"pools[0].edges[0].name: '{name}' is not an edge name: up to 63 letters, digits, '-', '_' and '.', starting with a letter or digit"],
            Errors(p => p.Edges[0].Name = name));

    [Fact]
    public void ShortIpv4Form_Rejected() =>
        Assert.Equal(["pools[0].edges[0].ipv4: '127.1' is not an IPv4 address"], Errors(p => p.Edges[0].Ipv4 = "127.1"));

    [Fact]
    public void NameOutsideZones_Rejected() =>
        Assert.Equal(["pools[0].name: app.example.org. is not inside any served zone"], Errors(p => p.Name = "app.example.org"));

    [Fact]
    public void NameHoldingAddressesInZone_Rejected() =>
        Assert.Contains("already has A, AAAA or CNAME records at ns1.example.com.", Assert.Single(Errors(p => p.Name = "ns1.example.com")));

    [Fact]
    public void UnknownAllDownPolicy_Rejected() =>
        Assert.Equal(["pools[0].allDown: 'maybe' is not one of all, none, fallback"], Errors(p => p.AllDown = "maybe"));

    [Fact]
    public void FallbackPolicyWithoutRecords_Rejected() =>
        Assert.Equal(["pools[0].fallback: allDown is 'fallback' but no fallback records are given"], Errors(p => p.AllDown = "fallback"));

    [Fact]
    public void FallbackRecordUnparseable_Rejected() =>
        Assert.StartsWith("pools[0].fallback[0]:", Assert.Single(Errors(p => { p.AllDown = "fallback"; p.Fallback = ["A not-an-address"]; })));

    [Fact]
    public void FallbackCnameBesideZoneData_Rejected() =>
        Assert.Contains("a CNAME cannot stand beside", Assert.Single(Errors(p => { p.AllDown = "fallback"; p.Fallback = ["CNAME sorry.example.net."]; })));

    [Fact]
    public void EmergencyRecords_OwnedByThePool_OrElseTheFallback()
    {
        var (with, _) = PoolSetBuilder.Build([Other(p => { p.Emergency = ["CNAME maintenance.example.net."]; p.Fallback = ["A 192.0.2.80"]; })], PoolFixture.Zones());
        var (without, _) = PoolSetBuilder.Build([Other(p => p.Fallback = ["A 192.0.2.80"])], PoolFixture.Zones());

        var emergency = Assert.Single(with.Pools[0].Emergency);
        Assert.Equal((DnsName.Parse("other.example.com"), DnsType.CNAME, "pools[0].emergency[0]"), (emergency.Owner, emergency.Type, emergency.Source.ToString()));
        Assert.Equal(DnsType.A, Assert.Single(without.Pools[0].Emergency).Type);
    }

    [Fact]
    public void EmergencyCnameNotAlone_Rejected() =>
        Assert.Equal(["pools[0].emergency: a CNAME must be the only record"],
            PoolSetBuilder.Build([Other(p => p.Emergency = ["CNAME maintenance.example.net.", "A 192.0.2.80"])], PoolFixture.Zones()).Errors);

    [Fact]
    public void EmergencyCnameBesideZoneData_Rejected() =>
        Assert.Equal([$"pools[0].emergency: a CNAME cannot stand beside the records example.com.zone holds at app.example.com."],
            Errors(p => p.Emergency = ["CNAME maintenance.example.net."]));

    [Fact]
    public void EmergencyCname_InATransferredZone_BesideThePrimarysAnswerForThePool_Accepted()
    {
        // A nameserver following its primary by transfer holds that primary's A records for the pool: the pool's own name.
        var zone = PoolFixture.Zones().Zones[0];
        var app = DnsName.Parse("app.example.com");
        var transferred = new Zone(zone.Origin, [.. zone.Records.Where(r => r.Owner != app), new ResourceRecord(app, DnsType.A, 30, [192, 0, 2, 1])], zone.File, zone.LoadedAt)
        {
            Transferred = true,
        };
        var pool = PoolFixture.App();
        pool.Emergency = ["CNAME maintenance.example.net."];

        Assert.Empty(PoolSetBuilder.Build([pool], new ZoneSet([transferred], [])).Errors);
    }

    /// <summary>The fixture's pool at a name the zone holds nothing at, so a CNAME may stand there.</summary>
    private static PoolOptions Other(Action<PoolOptions> change)
    {
        var pool = PoolFixture.App();
        pool.Name = "other.example.com";
        change(pool);
        return pool;
    }

    [Fact]
    public void TimeoutNotBelowInterval_Rejected() =>
        Assert.Equal(["pools[0].probe.timeout: must be more than 0 and less than the interval"],
            Errors(p => p.Probe = p.Probe with { Timeout = TimeSpan.FromSeconds(5) }));

    [Fact]
    public void ConfirmProbesAndTimeoutFloorOutOfRange_Rejected() =>
        Assert.Equal(["pools[0].probe.timeoutFloor: must be more than 0", "pools[0].probe.confirmProbes: 0 is not within 1..32"],
            Errors(p => p.Probe = p.Probe with { TimeoutFloor = TimeSpan.Zero, ConfirmProbes = 0 }));

    [Theory]
    [InlineData(-1)]
    [InlineData(366)]
    public void CertificateWarningDaysOutOfRange_Rejected(int days) =>
        Assert.Equal([$"pools[0].probe.certificateWarningDays: {days} is not within 0..365 (0: no warning)"],
            Errors(p => p.Probe = p.Probe with { Type = "https", CertificateWarningDays = days }));

    [Fact]
    public void DuplicateEdgeName_Rejected() =>
        Assert.Equal(["pools[0].edges: the name 'edge-1' is used twice"], Errors(p => p.Edges[1].Name = "edge-1"));

    [Fact]
    public void EdgeWithoutAddress_Rejected() =>
        Assert.Equal(["pools[0].edges[1]: an edge needs ipv4, ipv6 or both"], Errors(p => p.Edges[1].Ipv4 = null));

    [Fact]
    public void ProbeTypeUnknown_Rejected() =>
        Assert.Equal(["pools[0].probe.type: 'icmp' is not tcp or https"], Errors(p => p.Probe = p.Probe with { Type = "icmp" }));

    [Fact]
    public void Exposure_Defaults_IntervalTimeoutAndTheTtl_37Seconds_14WhileDegraded()
    {
        var pool = PoolFixture.Build(PoolFixture.App()).Pools[0];

        // Answers before the first failed probe carry the TTL; from then on (Suspect, confirming) the degraded one.
        Assert.Equal(TimeSpan.FromSeconds(5 + 2 + Math.Max(30, 2 + 5)), pool.Exposure);
        Assert.Equal(TimeSpan.FromSeconds(5 + 2 + 2 + 5), pool.DegradedExposure);
    }

    [Fact]
    public void DegradedTtl_Default5_OrTheTtlIfShorter()
    {
        Assert.Equal(5u, PoolFixture.Build(PoolFixture.App()).Pools[0].DegradedTtl);
        var quick = PoolFixture.App();
        quick.Ttl = 3;
        Assert.Equal(3u, PoolFixture.Build(quick).Pools[0].DegradedTtl);
        var given = PoolFixture.App();
        given.DegradedTtl = 10;
        Assert.Equal(10u, PoolFixture.Build(given).Pools[0].DegradedTtl);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(31u)]
    public void DegradedTtl_OutsideOneToTtl_Rejected(uint degraded) =>
        Assert.Equal([$"pools[0].degradedTtl: {degraded} is not within 1..30 (at least 1 s, at most the pool's ttl)"], Errors(p => p.DegradedTtl = degraded));
}
