using System.Net;
using GeoDns.Answering;
using GeoDns.Health;
using GeoDns.Pools;
using GeoDns.Protocol;
using GeoDns.Publishing;
using GeoDns.Testing;
using GeoDns.Tests.Pools;
using GeoDns.Zones;

namespace GeoDns.Tests.Publishing;

/// <summary>The publisher: one snapshot per change, health applied to pool slots alone, bursts coalesced, bad pool config kept out.</summary>
public sealed class PublisherTests : IAsyncDisposable
{
    private readonly Responder _responder = new();
    private readonly Publisher _publisher;

    public PublisherTests() => _publisher = new Publisher(_responder, TimeProvider.System, coalesce: TimeSpan.FromMilliseconds(200));

    private static readonly ProbeSettings Probe = PoolFixture.Build(PoolFixture.App()).Pools[0].Probe;

    private static HealthReport Health(params (string Address, HealthState State)[] states) =>
        new(states.ToDictionary(s => new ProbeTarget(IPAddress.Parse(s.Address), Probe),
            s => new TargetStatus(s.State, DateTimeOffset.UnixEpoch, null, 0, 0)));

    private string[] Answer(string name, ushort type = DnsType.A)
    {
        var reply = new byte[4096];
        var length = _responder.Respond(TestQuery.Build(name, type, ednsPayload: 1232), reply, tcp: false);
        return [.. ReplyText.Parse(reply[..length]).Answer().Order(StringComparer.Ordinal)];
    }

    private async Task<Snapshot> Start()
    {
        _publisher.SetZones(PoolFixture.Zones());
        _publisher.SetPools([PoolFixture.App()]);
        _publisher.SetHealth(Health(("127.0.0.11", HealthState.Up), ("::11", HealthState.Up), ("127.0.0.12", HealthState.Up), ("127.0.0.13", HealthState.Up)));
        return await _publisher.FlushAsync();
    }

    [Fact]
    public async Task HealthChange_SwapsPoolSlot_KeepsTable()
    {
        var first = await Start();
        Assert.Equal(["app.example.com. 30 IN A 127.0.0.11", "app.example.com. 30 IN A 127.0.0.12", "app.example.com. 30 IN A 127.0.0.13"], Answer("app.example.com"));
        var (tables, swaps) = (_publisher.Metrics.Publishes("static"), _publisher.Metrics.Publishes("routes"));

        _publisher.SetHealth(Health(("127.0.0.11", HealthState.Up), ("::11", HealthState.Up), ("127.0.0.12", HealthState.Down), ("127.0.0.13", HealthState.Up)));
        var second = await _publisher.FlushAsync();

        // Counted in the routes lane, with the CPU it took on the publisher's thread.
        Assert.Equal(tables, _publisher.Metrics.Publishes("static"));
        Assert.Equal(swaps + 1, _publisher.Metrics.Publishes("routes"));
        Assert.True(_publisher.Metrics.CpuSeconds("routes") > 0);

        Assert.Same(first.Table, second.Table); // no rebuild of the zones' answers
        Assert.True(second.Generation > first.Generation);
        // Degraded: the short TTL, decided when the slot was rendered.
        Assert.Equal(["app.example.com. 5 IN A 127.0.0.11", "app.example.com. 5 IN A 127.0.0.13"], Answer("app.example.com"));
        Assert.False(second.Routes.Pools[0].Edges[1].InAnswers);
    }

    [Fact]
    public async Task CnameToPool_FollowsPoolHealth()
    {
        await Start();
        _publisher.SetHealth(Health(("127.0.0.11", HealthState.Down), ("127.0.0.12", HealthState.Up), ("127.0.0.13", HealthState.Down)));
        await _publisher.FlushAsync();

        // www is a CNAME to the pool: its pre-rendered chain is re-rendered with the pool, the pool's TTL now included.
        Assert.Equal(["app.example.com. 5 IN A 127.0.0.12", "www.example.com. 300 IN CNAME app.example.com."], Answer("www.example.com"));
    }

    [Fact]
    public async Task BurstOfHealthChanges_Coalesced()
    {
        var first = await Start();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 200; i++)
            _publisher.SetHealth(Health(("127.0.0.11", HealthState.Up), ("::11", HealthState.Up), ("127.0.0.12", i % 2 == 0 ? HealthState.Down : HealthState.Up), ("127.0.0.13", HealthState.Up)));
        var handedIn = clock.Elapsed;
        var last = await _publisher.FlushAsync();

        // 200 changes handed in within a few milliseconds: one publish per 200 ms at most, ending on the last state.
        Assert.InRange(last.Generation - first.Generation, 1, 2 + (long)(handedIn.TotalMilliseconds / 200));
        Assert.Equal(["app.example.com. 30 IN A 127.0.0.11", "app.example.com. 30 IN A 127.0.0.12", "app.example.com. 30 IN A 127.0.0.13"], Answer("app.example.com"));
    }

    [Fact]
    public async Task ZoneChange_NewTable_PoolStillAnswered()
    {
        var first = await Start();
        var zone = ZoneFileParser.Parse(PoolFixture.Zone + "\nnew IN A 127.0.0.50\n", DnsName.Parse("example.com"), "example.com.zone");
        _publisher.SetZones(new ZoneSet([zone.Zone!], []));
        var second = await _publisher.FlushAsync();

        Assert.NotSame(first.Table, second.Table);
        Assert.Equal(["new.example.com. 300 IN A 127.0.0.50"], Answer("new.example.com"));
        Assert.Equal(3, Answer("app.example.com").Length);
    }

    [Fact]
    public async Task ProbeSettingsRetuned_EdgesKeepTheirStates_BeforeTheMonitorTakesTheNewTargets()
    {
        await Start();
        _publisher.SetHealth(Health(("127.0.0.11", HealthState.Up), ("::11", HealthState.Up), ("127.0.0.12", HealthState.Down), ("127.0.0.13", HealthState.Up)));
        await _publisher.FlushAsync();
        var retuned = PoolFixture.App();
        retuned.Probe = Probe with { Interval = TimeSpan.FromSeconds(7) };

        // The new pool set is answered before the monitor hears of its (retuned) targets: the report it reads
        // still holds the old ones, which are the same edges probed the same way, so their states stand.
        _publisher.SetPools([retuned]);
        var snapshot = await _publisher.FlushAsync();

        Assert.False(snapshot.Routes.Pools[0].AllDown);
        Assert.Equal(["app.example.com. 5 IN A 127.0.0.11", "app.example.com. 5 IN A 127.0.0.13"], Answer("app.example.com"));
    }

    [Fact]
    public async Task BrokenPoolConfig_LastGoodKept_ErrorsInSnapshot()
    {
        await Start();
        var broken = PoolFixture.App();
        broken.Edges[0].Ipv4 = "127.0.0.999";
        _publisher.SetPools([broken]);
        var snapshot = await _publisher.FlushAsync();

        Assert.Equal(["pools[0].edges[0].ipv4: '127.0.0.999' is not an IPv4 address"], snapshot.ConfigErrors);
        Assert.Equal(3, snapshot.Pools.Pools[0].Edges.Count);
        Assert.Equal(3, Answer("app.example.com").Length);
    }

    [Fact]
    public async Task Drain_OutOfAnswers_InOnePublish()
    {
        await Start();
        _publisher.SetOverrides(new Dictionary<string, EdgeOverride> { ["EDGE-1"] = new(true, null, DateTimeOffset.UnixEpoch, "test") }.ToDictionary(StringComparer.OrdinalIgnoreCase));
        await _publisher.FlushAsync();

        Assert.Equal(["app.example.com. 30 IN A 127.0.0.12", "app.example.com. 30 IN A 127.0.0.13"], Answer("app.example.com"));
    }

    [Fact]
    public async Task Snapshot_CarriesTheHealthAndOverridesItsRoutesWereBuiltFrom_InBothLanes()
    {
        var started = await Start();
        var drained = new Dictionary<string, EdgeOverride> { ["edge-1"] = new(true, null, DateTimeOffset.UnixEpoch, "test") };
        var down = Health(("127.0.0.11", HealthState.Up), ("::11", HealthState.Up), ("127.0.0.12", HealthState.Down), ("127.0.0.13", HealthState.Up));
        _publisher.SetOverrides(drained);
        _publisher.SetHealth(down);
        var routed = await _publisher.FlushAsync();
        _publisher.SetZones(PoolFixture.Zones()); // the static lane builds a new table, with the same inputs
        var rebuilt = await _publisher.FlushAsync();

        Assert.Empty(started.Overrides);
        Assert.Equal(HealthState.Up, started.Health.StateOf(new ProbeTarget(IPAddress.Parse("127.0.0.12"), Probe)));
        foreach (var snapshot in new[] { routed, rebuilt })
        {
            Assert.Same(drained, snapshot.Overrides);
            Assert.Same(down, snapshot.Health);
            Assert.True(snapshot.Routes.Pools[0].Edges[0].Drained);
            Assert.False(snapshot.Routes.Pools[0].Edges[1].InAnswers);
        }
        Assert.NotSame(routed.Table, rebuilt.Table);
    }

    public async ValueTask DisposeAsync() => await _publisher.DisposeAsync();
}
