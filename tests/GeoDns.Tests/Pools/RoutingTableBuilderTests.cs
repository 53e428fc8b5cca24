using System.Net;
using GeoDns.Health;
using GeoDns.Pools;
using GeoDns.Protocol;

namespace GeoDns.Tests.Pools;

public sealed class RoutingTableBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static HealthReport Health(PoolSet pools, params (string Address, HealthState State)[] states)
    {
        var probe = pools.Pools[0].Probe;
        return new HealthReport(states.ToDictionary(
            s => new ProbeTarget(IPAddress.Parse(s.Address), probe),
            s => new TargetStatus(s.State, Now, null, 0, 0)));
    }

    private static string[] Answer(PoolRoute route) =>
        route.Records.Select(r => $"{DnsType.ToString(r.Type)} {new IPAddress(r.Data)}").ToArray();

    private static PoolRoute Route(PoolSet pools, HealthReport health, Dictionary<string, EdgeOverride>? overrides = null) =>
        RoutingTableBuilder.Build(pools, health, overrides ?? []).Pools[0];

    [Fact]
    public void AllUp_EveryAddressInConfigOrder()
    {
        var pools = PoolFixture.Build(PoolFixture.App());

        var route = Route(pools, Health(pools, ("127.0.0.11", HealthState.Up), ("::11", HealthState.Up), ("127.0.0.12", HealthState.Up), ("127.0.0.13", HealthState.Up)));

        Assert.Equal(["A 127.0.0.11", "A 127.0.0.12", "A 127.0.0.13", "AAAA ::11"], Answer(route));
        Assert.All(route.Records, r => Assert.Equal(30u, r.Ttl));
    }

    [Fact]
    public void EmergencyOn_TheEmergencyRecordsWinOverHealthyEdges_WithTheDegradedTtl_EdgesStillJudged()
    {
        var options = PoolFixture.App();
        options.Name = "other.example.com";
        options.Emergency = ["CNAME maintenance.example.net."];
        var pools = PoolFixture.Build(options);
        var health = Health(pools, ("127.0.0.11", HealthState.Up), ("::11", HealthState.Up), ("127.0.0.12", HealthState.Up), ("127.0.0.13", HealthState.Up));
        var on = new EmergencySwitch(Now, "under attack");

        var route = RoutingTableBuilder.Build(pools, health, new Dictionary<string, EdgeOverride>(),
            new Dictionary<string, EmergencySwitch>(StringComparer.OrdinalIgnoreCase) { ["OTHER.example.com"] = on }).Pools[0];

        Assert.Equal((on, true), (route.Emergency, route.AnswersEmergency));
        Assert.Equal(DnsType.CNAME, Assert.Single(route.Records).Type);
        Assert.Equal((5u, true), (route.Ttl.Seconds, route.Ttl.Degraded));
        Assert.StartsWith("emergency answer on since 2026-11-25 12:00:00 UTC (under attack)", route.Ttl.Reason);
        Assert.All(route.Edges, e => Assert.True(e.InAnswers)); // what is answered again once it is off
        Assert.False(route.AllDown);
    }

    [Fact]
    public void EmergencyOn_ForAPoolWithNoRecords_ItsEdgesAreAnswered()
    {
        var pools = PoolFixture.Build(PoolFixture.App());
        var health = Health(pools, ("127.0.0.11", HealthState.Up), ("127.0.0.12", HealthState.Up), ("127.0.0.13", HealthState.Up));

        var route = RoutingTableBuilder.Build(pools, health, new Dictionary<string, EdgeOverride>(),
            new Dictionary<string, EmergencySwitch> { ["app.example.com"] = new(Now, null) }).Pools[0];

        Assert.Equal((true, false), (route.Emergency is not null, route.AnswersEmergency));
        Assert.Equal(["A 127.0.0.11", "A 127.0.0.12", "A 127.0.0.13"], Answer(route));
    }

    [Fact]
    public void SuspectListedLast_DownAndUnknownLeft()
    {
        var pools = PoolFixture.Build(PoolFixture.App());

        var route = Route(pools, Health(pools, ("127.0.0.11", HealthState.Suspect), ("127.0.0.12", HealthState.Down), ("127.0.0.13", HealthState.Up)));

        Assert.Equal(["A 127.0.0.13", "A 127.0.0.11"], Answer(route));
        Assert.False(route.AllDown);
    }

    [Fact]
    public void Drained_OutOfAnswers_ForcedStateOverridesProbes()
    {
        var pools = PoolFixture.Build(PoolFixture.App());
        var overrides = new Dictionary<string, EdgeOverride>
        {
            ["edge-1"] = new(Drained: true, Forced: null, Now, "maintenance"),
            ["edge-2"] = new(Drained: false, Forced: HealthState.Up, Now, null),
            ["edge-3"] = new(Drained: false, Forced: HealthState.Down, Now, null),
        };

        var route = Route(pools, Health(pools, ("127.0.0.11", HealthState.Up), ("127.0.0.12", HealthState.Down), ("127.0.0.13", HealthState.Up)), overrides);

        Assert.Equal(["A 127.0.0.12"], Answer(route));
    }

    [Fact]
    public void AllDown_PolicyAll_EveryUndrainedEdge()
    {
        var pools = PoolFixture.Build(PoolFixture.App());
        var overrides = new Dictionary<string, EdgeOverride> { ["edge-3"] = new(true, null, Now, null) };

        var route = Route(pools, Health(pools), overrides);

        Assert.True(route.AllDown);
        Assert.Equal(["A 127.0.0.11", "AAAA ::11", "A 127.0.0.12"], Answer(route));
    }

    [Fact]
    public void AllDown_PolicyNone_NoRecords()
    {
        var pools = PoolFixture.Build(PoolFixture.App("none"));

        Assert.Empty(Route(pools, Health(pools, ("127.0.0.11", HealthState.Down))).Records);
    }

    [Fact]
    public void AllDown_PolicyFallback_FallbackRecords()
    {
        var options = PoolFixture.App("fallback", "CNAME sorry.example.net.");
        options.Name = "cdn.example.com";
        var pools = PoolFixture.Build(options);

        var route = Route(pools, Health(pools));

        Assert.Equal(DnsType.CNAME, Assert.Single(route.Records).Type);
    }
}
