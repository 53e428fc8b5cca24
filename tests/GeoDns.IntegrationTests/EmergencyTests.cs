using System.Net;
using System.Net.Http.Json;
using ARSoft.Tools.Net.Dns;
using GeoDns.Contracts;
using GeoDns.Health;
using GeoDns.Protocol;
using GeoDns.Server;
using GeoDns.Server.Admin;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// A pool's emergency switch over the admin endpoint, proved by the server's DNS answers: on, the pool answers its
/// emergency CNAME at once and after a restart; off, its edges again. Changes need the token; a pool with nothing to
/// answer is refused; a bad emergency key in the config is named with its file and key.
/// </summary>
public sealed class EmergencyTests
{
    private const string Cname = "app.example.com. 5 IN CNAME maintenance.example.net.";
    private const string Route = "/v1/pools/app.example.com/emergency";

    private static string Config(LoopbackEdges edges, string emergency = "\"CNAME maintenance.example.net.\"", string fallback = "") =>
        edges.Config(fallback: fallback).Replace("\"fallback\":", $"\"emergency\": [{emergency}], \"fallback\":");

    private static string[] Answer(TestServer server, ushort type = DnsType.A) =>
        server.Ask("app.example.com", type).AnswerRecords.Select(r => r.ToString()).Order(StringComparer.Ordinal).ToArray();

    private static string[] Edges(LoopbackEdges edges) =>
        [.. Enumerable.Range(0, edges.Count).Select(i => $"app.example.com. 30 IN A {edges.Address(i)}").Order(StringComparer.Ordinal)];

    private static async Task<EmergencyView> Send(TestServer server, HttpMethod method, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, Route) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {Route}: {(int)response.StatusCode} {text}");
        return System.Text.Json.JsonSerializer.Deserialize<EmergencyView>(text, AdminJson.Options)!;
    }

    [Fact]
    public async Task On_AnswersTheEmergencyCname_AtOnceAndAfterRestart_Off_EdgesAgain()
    {
        using var edges = new LoopbackEdges(2);
        var first = await TestServer.StartAsync(config: Config(edges));
        var directory = first.Directory;
        await using (first.KeepDirectory())
        {
            Assert.Equal(Edges(edges), Answer(first));

            var on = await Send(first, HttpMethod.Put, new { reason = "under attack" });

            Assert.Equal((true, "under attack"), (on.On, on.Reason));
            Assert.Equal([Cname], on.Records);
            // Answered by the time the change is: A and AAAA get the CNAME, with the pool's degraded TTL.
            Assert.Equal([Cname], Answer(first));
            Assert.Equal([Cname], Answer(first, DnsType.AAAA));
            var health = await first.Http.GetFromJsonAsync<HealthView>("/healthz", AdminJson.Options);
            Assert.Contains(health!.Warnings!, w => w.StartsWith("pool app.example.com: emergency answer on since ", StringComparison.Ordinal) && w.Contains("(under attack)"));
            var pool = Assert.Single((await first.Http.GetFromJsonAsync<List<PoolView>>("/v1/pools", AdminJson.Options))!);
            Assert.Equal((true, on.Since), (pool.Emergency.On, pool.Emergency.Since));
            Assert.StartsWith("emergency answer on since ", pool.TtlReason);
            Assert.Contains("geodns_pool_emergency{pool=\"app.example.com\"} 1", await first.Http.GetStringAsync("/metrics"));
            var explained = await first.Http.GetFromJsonAsync<ExplainView>("/v1/explain?name=app.example.com", AdminJson.Options);
            Assert.StartsWith("the emergency answer is on since ", explained!.Reason);
            Assert.Equal([Cname], explained.Answer);
            var switched = Assert.Single((await first.Http.GetFromJsonAsync<List<EventView>>("/v1/events?target=app.example.com", AdminJson.Options))!);
            Assert.Equal(("on", "emergency answer on: under attack", (HealthState?)null), (switched.Emergency, switched.Reason, switched.To));
        }

        await using var restarted = await TestServer.StartAsync(config: Config(edges), directory: directory);
        Assert.Equal([Cname], Answer(restarted));
        var kept = await restarted.Http.GetFromJsonAsync<EmergencyView>(Route, AdminJson.Options);
        Assert.Equal((true, "under attack"), (kept!.On, kept.Reason));

        var off = await Send(restarted, HttpMethod.Delete);

        Assert.False(off.On);
        Assert.Equal(Edges(edges), Answer(restarted)); // the edges are Up: the steady TTL again
        Assert.Contains("geodns_pool_emergency{pool=\"app.example.com\"} 0", await restarted.Http.GetStringAsync("/metrics"));
        var events = (await restarted.Http.GetFromJsonAsync<List<EventView>>("/v1/events?target=app.example.com", AdminJson.Options))!;
        Assert.Equal(["off", "on"], events.Select(e => e.Emergency));
        Assert.DoesNotContain((await restarted.Http.GetFromJsonAsync<HealthView>("/healthz", AdminJson.Options))!.Warnings!, w => w.Contains("emergency"));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Ns2FollowingByTransfer_KeepsThePoolWithItsEmergencyCname_AndAnswersItsOwnSwitch()
    {
        using var edges = new LoopbackEdges(2);
        var (port1, port2) = (FreePort.Pick(), FreePort.Pick());
        var pools = Config(edges).TrimEnd().TrimEnd('}');
        await using var ns1 = await TestServer.StartAsync(config: pools + $$"""
            , "exchange": { "transfers": [{ "zone": "example.com", "allowFrom": ["127.0.0.1"], "notify": ["127.0.0.1:{{port2}}"] }] } }
            """, listen: $"127.0.0.1:{port1}");
        await using var ns2 = await TestServer.StartAsync(TestServer.ExampleZone.Replace("example.com.", "example.net."), "example.net", config: pools + $$"""
            , "exchange": { "secondaries": [{ "zone": "example.com", "primaries": ["127.0.0.1:{{port1}}"] }] } }
            """, listen: $"127.0.0.1:{port2}");
        uint Soa(TestServer server) => server.Ask("example.com", DnsType.SOA).AnswerRecords.OfType<SoaRecord>().SingleOrDefault()?.SerialNumber ?? 0;
        await Eventually.True(() => Soa(ns2) != 0 && Soa(ns2) == Soa(ns1) && Answer(ns2).SequenceEqual(Edges(edges)), "ns2 serves the zone and the pool", TimeSpan.FromSeconds(20));

        // ns1's transfers now carry the CNAME at the pool's name; ns2 answers from its own switch, off.
        await Send(ns1, HttpMethod.Put);
        var switched = Soa(ns1);
        await Eventually.True(() => Soa(ns2) == switched, "ns2 follows ns1's new serial", TimeSpan.FromSeconds(20));
        Assert.Equal([Cname], Answer(ns1));
        Assert.Equal(Edges(edges), Answer(ns2));
        Assert.Empty(ns2.Service.Observations.Snapshot.ConfigErrors);

        await Send(ns2, HttpMethod.Put);
        Assert.Equal([Cname], Answer(ns2));
    }

    [SkippableFact]
    public async Task Dashboard_InHeadlessChromium_ShowsTheBanner_AndTheSwitchAmongTheEvents()
    {
        Skip.If(HeadlessChromium.Path is null, "chromium is not installed (.ci/run installs it)");
        using var edges = new LoopbackEdges(2);
        await using var server = await TestServer.StartAsync(config: Config(edges));
        await Send(server, HttpMethod.Put, new { reason = "under attack" });

        var dom = await HeadlessChromium.RunAsync("--dump-dom", server.AdminUri);

        Assert.Matches("""<div id="emergency"><div data-emergency="app.example.com">EMERGENCY ANSWER ON for app.example.com since <time datetime="[^"]+">[^<]+</time> \(under attack\): answering app.example.com. 5 IN CNAME maintenance.example.net. instead of its edges</div></div>""", dom);
        Assert.Contains("""<span class="emergency">emergency answer on: the edges below are not answered</span>""", dom);
        Assert.Contains("""<td class="change" data-label="Change"><span class="state Down">emergency on</span></td><td data-label="Reason">emergency answer on: under attack</td>""", dom);
        await HeadlessChromium.ScreenshotAsync(server.AdminUri, System.IO.Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard-emergency.png"), "1200,800");
    }

    [Fact]
    public async Task WithoutTheToken_Refused_NothingChanges()
    {
        using var edges = new LoopbackEdges(2);
        await using var server = await TestServer.StartAsync(config: Config(edges));
        using var anonymous = server.NewHttpClient(token: null);
        using var wrong = server.NewHttpClient(token: "not-the-token");

        using var withoutToken = await anonymous.PutAsync(Route, null);
        using var withWrongToken = await wrong.PutAsync(Route, null);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (withoutToken.StatusCode, withWrongToken.StatusCode));
        Assert.Equal(Edges(edges), Answer(server));
        Assert.False((await anonymous.GetFromJsonAsync<EmergencyView>(Route, AdminJson.Options))!.On); // reads from loopback need none
    }

    [Fact]
    public async Task WithoutEmergencyKey_TheFallbackIsAnswered_WithNeither_Refused()
    {
        using var edges = new LoopbackEdges(2);
        await using (var withFallback = await TestServer.StartAsync(config: Config(edges, emergency: "", fallback: "\"A 192.0.2.80\"")))
        {
            await Send(withFallback, HttpMethod.Put);
            Assert.Equal(["app.example.com. 5 IN A 192.0.2.80"], Answer(withFallback));
        }
        await using var neither = await TestServer.StartAsync(config: Config(edges, emergency: ""));

        using var response = await neither.Http.PutAsync(Route, null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("pool app.example.com has no emergency answer", await response.Content.ReadAsStringAsync());
        Assert.Equal(Edges(edges), Answer(neither));
        using var unknown = await neither.Http.PutAsync("/v1/pools/nope.example.com/emergency", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task BadEmergencyKey_CheckNamesFileAndKey_StartRefusedNamingTheKey()
    {
        using var edges = new LoopbackEdges(2);
        using var directory = new TempDirectory();
        directory.Write("zones/example.com.zone", TestServer.ExampleZone);
        directory.Write("geodns.json", Config(edges, emergency: "\"CNAME maintenance.example.net.\", \"A 192.0.2.80\""));
        var options = CommandLine.Parse(["--config", directory["geodns.json"], "--zones", directory["zones"]], out var error) ?? throw new InvalidOperationException(error);
        var output = new StringWriter();

        Assert.Equal(1, ConfigCheck.Run(options, output));

        Assert.Contains($"error: {directory["geodns.json"]}: pools[0].emergency: a CNAME must be the only record", output.ToString());
        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => TestServer.StartAsync(config: Config(edges, emergency: "\"MX nonsense\"")));
        Assert.Contains("pools[0].emergency[0]:", refused.Message);
    }
}
