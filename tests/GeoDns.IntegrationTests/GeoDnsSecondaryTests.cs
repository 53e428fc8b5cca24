using System.Diagnostics;
using ARSoft.Tools.Net.Dns;
using GeoDns.Answering;
using GeoDns.Protocol;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// GeoDns as ns2 of GeoDns, as the deployment guide runs them: ns1 transfers the zone with its pool's healthy
/// set and NOTIFYs; ns2 pulls by IXFR and answers the pool from its own probes. A health change moves only the pool's
/// records and the serial, so ns2 follows without rebuilding the zone; a zone edit is composed again.
/// </summary>
public sealed class GeoDnsSecondaryTests
{
    private const string OtherZone = """
        $ORIGIN example.net.
        $TTL 300
        @    IN SOA ns1 hostmaster 1 3600 600 1209600 60
             IN NS  ns1
        ns1  IN A   127.0.0.1
        """;

    [Fact]
    public void APoolInASecondaryZone_WaitsForTheCopyInTheSnapshot_NotForTheExchangesCopy()
    {
        var pools = new[] { new GeoDns.Pools.PoolOptions { Name = "app.example.com" } };
        var secondary = new[] { DnsName.Parse("example.com") };
        var zone = GeoDns.Zones.ZoneFileParser.Parse(TestServer.ExampleZone, DnsName.Parse("example.com"), "example.com.zone").Zone!;
        // Not yet in the snapshot: waiting, even when the exchange's copy has landed since (a fresh ns2 under load).
        Assert.Empty(GeoDns.Server.Observations.MissingPools(pools, Snapshot.Empty, secondary));
        // Served, but the pool is not: a mistake, whether the zone came by transfer or from a file.
        var served = Snapshot.Empty with { Zones = new GeoDns.Zones.ZoneSet([zone], []) };
        Assert.Equal(["app.example.com"], GeoDns.Server.Observations.MissingPools(pools, served, secondary));
        Assert.Equal(["app.example.com"], GeoDns.Server.Observations.MissingPools(pools, Snapshot.Empty, []));
    }

    [Fact]
    public async Task Ns2_FollowsAPoolMove_WithoutARebuild_AndAZoneEdit_WithOne()
    {
        using var edges = new LoopbackEdges(2);
        var (port1, port2) = (FreePort.Pick(), FreePort.Pick());
        var pools = edges.Config().TrimEnd().TrimEnd('}');
        var ns1Config = pools + $$"""
            , "exchange": { "transfers": [{ "zone": "example.com", "allowFrom": ["127.0.0.1"], "notify": ["127.0.0.1:{{port2}}"] }] } }
            """;
        var ns2Config = pools + $$"""
            , "exchange": { "secondaries": [{ "zone": "example.com", "primaries": ["127.0.0.1:{{port1}}"] }] } }
            """;
        await using var ns1 = await TestServer.StartAsync(config: ns1Config, listen: $"127.0.0.1:{port1}");
        // A fresh ns2 holds no copy before its first transfer, so its pool has no zone yet: it starts anyway, and the pool follows the copy.
        await using var ns2 = await TestServer.StartAsync(OtherZone, "example.net", config: ns2Config, listen: $"127.0.0.1:{port2}");
        var origin = DnsName.Parse("example.com");
        uint Served(TestServer server) => server.Service.Exchange!.Served.Find(origin)?.Version.Serial ?? 0;
        uint Soa(TestServer server) => server.Ask("example.com", DnsType.SOA).AnswerRecords.OfType<SoaRecord>().SingleOrDefault()?.SerialNumber ?? 0;

        await Until(() => Soa(ns2) == Served(ns1) && Addresses(ns2).Length == 2, "ns2 serves the zone and the pool after its first transfer");
        await ns2.SettledAsync();
        var rebuilds = ns2.Service.Observations.PublishMetrics.Publishes("static");
        var before = Served(ns1);

        // Edge 2 dies: ns1 moves the pool's records and the serial, NOTIFYs; ns2 pulls the step by IXFR.
        edges.Stop(1);
        await Until(() => Served(ns1) != before && Soa(ns2) == Served(ns1) && Served(ns2) == Served(ns1) && Addresses(ns2).Length == 1,
            "ns2 answers ns1's new serial, and the pool from its own probes");
        var copy = ns2.Service.Exchange!.SecondaryZones.Single().Copy!;
        Assert.NotNull(copy.Steps); // by IXFR
        Assert.True(copy.StepLines > 0); // stored as the step's lines beside the whole copy, not the whole copy again
        Assert.Equal(rebuilds, ns2.Service.Observations.PublishMetrics.Publishes("static")); // and nothing rebuilt
        Assert.Equal(Served(ns2), ns2.Ask("missing.example.com", DnsType.A).AuthorityRecords.OfType<SoaRecord>().Single().SerialNumber);
        Assert.Equal([edges.Address(0)], Addresses(ns2));
        // The admin shows the serial the route lane moved in place, as answered.
        using (var zones = System.Text.Json.JsonDocument.Parse(await ns1.Http.GetStringAsync("/v1/zones")))
            Assert.Equal(Soa(ns1), zones.RootElement.GetProperty("zones")[0].GetProperty("servedSerial").GetUInt32());
        Assert.Equal(Served(ns1), Soa(ns1));

        // A zone edit on ns1 is no pool move: ns2 composes again and serves it.
        await File.AppendAllTextAsync(Path.Combine(ns1.ZoneDirectory, "example.com.zone"), "\nnew  IN A   127.0.0.77\n");
        ns1.Service.Operations!.ReloadZones("test edit");
        await Until(() => ns2.Ask("new.example.com", DnsType.A).AnswerRecords.OfType<ARecord>().SingleOrDefault()?.Address.ToString() == "127.0.0.77",
            "ns2 serves the edit");
        Assert.True(ns2.Service.Observations.PublishMetrics.Publishes("static") > rebuilds);
        // ns1 may move its serial once more meanwhile (its pool lane): ns2 follows that step too.
        await Until(() => Served(ns1) == Soa(ns2), "ns2 answers ns1's serial after the edit");
    }

    private static string[] Addresses(TestServer server) =>
        [.. server.Ask("app.example.com", DnsType.A).AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()).Order(StringComparer.Ordinal)];

    private static async Task Until(Func<bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20)) Assert.Fail($"timed out waiting until {what}");
            await Task.Delay(100);
        }
    }
}
