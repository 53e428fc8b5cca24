using System.Net.Http.Json;
using ARSoft.Tools.Net.Dns;
using GeoDns.Protocol;
using GeoDns.Server.Admin;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// State-aware TTLs as a resolver sees them, over UDP from the real server: the pool's TTL while every edge
/// is Up, the short degraded TTL from the moment one is in doubt until it is back, on the pool's own name and
/// on a CNAME to it; /v1/pools and /v1/explain say which applies and why.
/// </summary>
public sealed class DegradedTtlTests
{
    private const string Zone = TestServer.ExampleZone + "\nalias IN CNAME app\n";

    private static (string[] Addresses, int[] Ttls) Pool(TestServer server, string name = "app.example.com")
    {
        var records = server.Ask(name, DnsType.A).AnswerRecords.OfType<ARecord>().ToList();
        return ([.. records.Select(r => r.Address.ToString()).Order(StringComparer.Ordinal)], [.. records.Select(r => r.TimeToLive).Distinct()]);
    }

    [Fact]
    public async Task EdgeDies_TtlDropsToTheDegradedOne_BackToThePoolTtlOnceItRecovers()
    {
        using var edges = new LoopbackEdges(3);
        await using var server = await TestServer.StartAsync(Zone, config: edges.Config());
        Assert.Equal([30], Pool(server).Ttls);

        edges.Stop(1);
        await Eventually.True(() => !Pool(server).Addresses.Contains(edges.Address(1)), "the dead edge leaves the answers", TimeSpan.FromSeconds(6));
        Assert.Equal([5], Pool(server).Ttls);
        Assert.Equal([5], Pool(server, "alias.example.com").Ttls); // a CNAME to the pool follows its answer, TTL included
        var explained = (await server.Http.GetFromJsonAsync<ExplainView>("/v1/explain?name=app.example.com", AdminJson.Options))!;
        Assert.Equal(5u, explained.Ttl);
        Assert.Equal($"degraded (edge-2 {edges.Address(1)} is Down): degradedTtl 5 s instead of ttl 30 s, so resolvers ask again soon", explained.TtlReason);
        Assert.All(explained.Answer, line => Assert.Contains(" 5 IN A ", line));
        var pool = Assert.Single((await server.Http.GetFromJsonAsync<List<PoolView>>("/v1/pools", AdminJson.Options))!);
        Assert.Equal((30u, 5u, 5u, explained.TtlReason), (pool.Ttl, pool.DegradedTtl, pool.TtlNow, pool.TtlReason));

        edges.Start(1);
        await Eventually.True(() => Pool(server) is { Ttls: [30] } back && back.Addresses.Contains(edges.Address(1)), "the edge is back, and the pool TTL with it", TimeSpan.FromSeconds(8));
        explained = (await server.Http.GetFromJsonAsync<ExplainView>("/v1/explain?name=app.example.com", AdminJson.Options))!;
        Assert.Equal((30u, "steady (every edge in the answers is Up): ttl 30 s"), (explained.Ttl!.Value, explained.TtlReason));
    }

    [Fact]
    public async Task DegradedTtlAboveTheTtl_ConfigRejected_NamingTheKey()
    {
        using var edges = new LoopbackEdges(1);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => TestServer.StartAsync(config: edges.Config().Replace("\"ttl\": 30,", "\"ttl\": 30, \"degradedTtl\": 60,")));

        Assert.Contains("pools[0].degradedTtl: 60 is not within 1..30", error.Message);
    }
}
