using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using GeoDns.Health;
using GeoDns.Pools;

namespace GeoDns.Tests.Pools;

/// <summary>The state-aware TTL rule: which states make a pool degraded (short TTL), and what the reason says.</summary>
public sealed class PoolTtlTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly PoolSet Pools = PoolFixture.Build(PoolFixture.App());
    private static readonly string[] Addresses = ["127.0.0.11", "::11", "127.0.0.12", "127.0.0.13"];

    /// <summary>Every address Up except those given.</summary>
    private static HealthReport Health(IReadOnlyDictionary<string, TargetStatus>? except = null, bool isolated = false) =>
        new(Addresses.ToDictionary(a => new ProbeTarget(IPAddress.Parse(a), Pools.Pools[0].Probe),
            a => except?.GetValueOrDefault(a) ?? new TargetStatus(HealthState.Up, Now, null, 0, 1)))
        {
            Isolated = isolated ? ImmutableDictionary<AddressFamily, DateTimeOffset>.Empty.Add(AddressFamily.InterNetwork, Now) : ImmutableDictionary<AddressFamily, DateTimeOffset>.Empty,
        };

    private static TargetStatus Status(HealthState state) => new(state, Now, null, 0, 0);

    private static PoolTtl Ttl(HealthReport health, Dictionary<string, EdgeOverride>? overrides = null) =>
        RoutingTableBuilder.Build(Pools, health, overrides ?? []).Pools[0].Ttl;

    [Fact]
    public void EveryEdgeUp_Steady_PoolTtl()
    {
        var ttl = Ttl(Health());

        Assert.Equal((30u, false, "steady (every edge in the answers is Up): ttl 30 s"), (ttl.Seconds, ttl.Degraded, ttl.Reason));
    }

    [Theory]
    [InlineData(HealthState.Suspect, "edge-2 127.0.0.12 is Suspect")]
    [InlineData(HealthState.Down, "edge-2 127.0.0.12 is Down")]
    [InlineData(HealthState.Unknown, "edge-2 127.0.0.12 is Unknown")]
    public void AnEdgeInDoubt_Degraded_ShortTtl_ReasonNamesIt(HealthState state, string named)
    {
        var ttl = Ttl(Health(new Dictionary<string, TargetStatus> { ["127.0.0.12"] = Status(state) }));

        Assert.Equal((5u, true), (ttl.Seconds, ttl.Degraded));
        Assert.Equal($"degraded ({named}): degradedTtl 5 s instead of ttl 30 s, so resolvers ask again soon", ttl.Reason);
    }

    [Fact]
    public void PassiveSignal_Degraded_ReasonQuotesIt()
    {
        var signalled = Status(HealthState.Up) with { Passive = new PassiveSignal("tunnel down: latest handshake 212 s ago", Now.AddMinutes(1)) };

        var ttl = Ttl(Health(new Dictionary<string, TargetStatus> { ["::11"] = signalled }));

        Assert.Contains("edge-1 ::11 is Down: tunnel down: latest handshake 212 s ago", ttl.Reason);
        Assert.True(ttl.Degraded);
    }

    [Fact]
    public void DrainedOrForced_TheOperatorsChoice_NotDoubt_Steady()
    {
        var health = Health(new Dictionary<string, TargetStatus> { ["127.0.0.12"] = Status(HealthState.Down), ["127.0.0.13"] = Status(HealthState.Suspect) });
        var overrides = new Dictionary<string, EdgeOverride>
        {
            ["edge-2"] = new(Drained: true, Forced: null, Now, "maintenance"),
            ["edge-3"] = new(Drained: false, Forced: HealthState.Up, Now, null),
        };

        Assert.False(Ttl(health, overrides).Degraded);
    }

    [Fact]
    public void AllDown_AnsweringByThePolicy_Degraded()
    {
        var health = Health(Addresses.ToDictionary(a => a, _ => Status(HealthState.Down)));

        var ttl = Ttl(health);

        Assert.Equal((5u, "degraded (no edge is healthy, answering by allDown=all): degradedTtl 5 s instead of ttl 30 s, so resolvers ask again soon"), (ttl.Seconds, ttl.Reason));
    }

    [Fact]
    public void Isolated_Degraded()
    {
        Assert.Contains("no IPv4 probe gets a reply", Ttl(Health(isolated: true)).Reason);
    }

    [Fact]
    public void ManyInDoubt_ThreeNamed_TheRestCounted()
    {
        var health = Health(Addresses.ToDictionary(a => a, _ => Status(HealthState.Suspect)));

        Assert.Contains("edge-1 127.0.0.11 is Suspect; edge-1 ::11 is Suspect; edge-2 127.0.0.12 is Suspect; and 1 more", Ttl(health).Reason);
    }
}
