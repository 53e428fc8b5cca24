using System.Net;
using ARSoft.Tools.Net.Dns;
using GeoDns.Answering;
using GeoDns.Health;
using GeoDns.Pools;
using GeoDns.Protocol;
using GeoDns.Testing;

namespace GeoDns.Tests.Pools;

public sealed class PoolAnswerTests
{
    private static DnsMessage Ask(string allDown, string name, ushort type, params (string Address, HealthState State)[] states)
    {
        var options = PoolFixture.App(allDown, allDown == "fallback" ? ["CNAME sorry.example.net."] : []);
        if (allDown == "fallback") options.Name = "cdn.example.com"; // a CNAME needs a name with no other data
        var pools = PoolFixture.Build(options);
        var health = new HealthReport(states.ToDictionary(s => new ProbeTarget(IPAddress.Parse(s.Address), pools.Pools[0].Probe), s => new TargetStatus(s.State, DateTimeOffset.UnixEpoch, null, 0, 0)));
        var responder = new Responder { Table = AnswerTableBuilder.Build(PoolFixture.Zones(), RoutingTableBuilder.Build(pools, health, new Dictionary<string, EdgeOverride>())) };
        var reply = new byte[4096];
        var length = responder.Respond(TestQuery.Build(name, type, ednsPayload: 1232), reply, tcp: false);
        return ReplyText.Parse(reply[..length]);
    }

    [Fact]
    public void PoolName_EveryEdgeUp_PoolTtl() =>
        // Without a geo database the order is drawn at random per query: compare the set.
        Assert.Equal(["app.example.com. 30 IN A 127.0.0.11", "app.example.com. 30 IN A 127.0.0.12", "app.example.com. 30 IN A 127.0.0.13"],
            Ask("all", "app.example.com", DnsType.A, ("127.0.0.11", HealthState.Up), ("::11", HealthState.Up), ("127.0.0.12", HealthState.Up), ("127.0.0.13", HealthState.Up))
                .Answer().Order(StringComparer.Ordinal));

    [Fact]
    public void PoolName_AnEdgeDown_HealthyEdgesWithTheDegradedTtl() =>
        Assert.Equal(["app.example.com. 5 IN A 127.0.0.11", "app.example.com. 5 IN A 127.0.0.13"],
            Ask("all", "app.example.com", DnsType.A, ("127.0.0.11", HealthState.Up), ("::11", HealthState.Up), ("127.0.0.12", HealthState.Down), ("127.0.0.13", HealthState.Up))
                .Answer().Order(StringComparer.Ordinal));

    [Fact]
    public void PoolName_NoHealthyIpv6_NoDataForAaaa()
    {
        var reply = Ask("all", "app.example.com", DnsType.AAAA, ("127.0.0.11", HealthState.Up), ("::11", HealthState.Down));

        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.Empty(reply.AnswerRecords);
    }

    [Fact]
    public void PoolName_OtherZoneDataKept() =>
        Assert.Equal(["app.example.com. 300 IN TXT \"pooled\""], Ask("all", "app.example.com", DnsType.TXT, ("127.0.0.11", HealthState.Up)).Answer());

    [Fact]
    public void CnameToPool_FollowedToHealthyEdges_WithThePoolsTtlNow() =>
        // The others are not probed (Unknown): degraded, so the pool's part of the chain has the short TTL; the CNAME keeps its own.
        Assert.Equal(["www.example.com. 300 IN CNAME app.example.com.", "app.example.com. 5 IN A 127.0.0.12"],
            Ask("all", "www.example.com", DnsType.A, ("127.0.0.12", HealthState.Up)).Answer());

    [Fact]
    public void AllDownNone_NoData()
    {
        var reply = Ask("none", "app.example.com", DnsType.A, ("127.0.0.11", HealthState.Down));

        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.Empty(reply.AnswerRecords);
        // RFC 2308 §5 would let resolvers cache this NODATA for the SOA's 60 s; the degraded pool's TTL caps it.
        Assert.Equal(5, Assert.Single(reply.AuthorityRecords).TimeToLive);
    }

    [Fact]
    public void AllDownFallback_Cname() =>
        Assert.Equal(["cdn.example.com. 5 IN CNAME sorry.example.net."], Ask("fallback", "cdn.example.com", DnsType.A).Answer());
}
