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
