using System.Net;
using System.Net.Http.Json;
using ARSoft.Tools.Net.Dns;
using GeoDns.Health;
using GeoDns.Protocol;
using GeoDns.Contracts;
using GeoDns.Server.Admin;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>Drains, forced states and edges added at run time, through the admin endpoint: the answers change at once and the change outlives a restart.</summary>
public sealed class AdminChangeTests
{
    private static string[] Addresses(TestServer server) =>
        server.Ask("app.example.com", DnsType.A).AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()).Order(StringComparer.Ordinal).ToArray();

    private static async Task<List<EdgeView>> Send(TestServer server, HttpMethod method, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return expected == HttpStatusCode.OK && text.TrimStart().StartsWith('[') ? System.Text.Json.JsonSerializer.Deserialize<List<EdgeView>>(text, AdminJson.Options)! : [];
    }

    [Fact]
    public async Task Drain_OutOfAnswersAtOnce_StillDrainedAfterRestart_Undrain()
    {
        using var edges = new LoopbackEdges(2);
        var first = await TestServer.StartAsync(config: edges.Config());
        var directory = first.Directory;
        await using (first.KeepDirectory())
        {
            var drained = Assert.Single(await Send(first, HttpMethod.Put, "/v1/edges/edge-1/drain", new { reason = "kernel update" }));
            Assert.Equal((true, false, "kernel update"), (drained.Drained, drained.InAnswers, drained.OverrideReason));
            Assert.Equal([edges.Address(1)], Addresses(first));
        }
        await using var restarted = await TestServer.StartAsync(config: edges.Config(), directory: directory);
        Assert.Equal([edges.Address(1)], Addresses(restarted));
        var edge = (await restarted.Http.GetFromJsonAsync<List<EdgeView>>("/v1/edges", AdminJson.Options))!.Single(e => e.Name == "edge-1");
        Assert.Equal((true, "kernel update"), (edge.Drained, edge.OverrideReason));

        await Send(restarted, HttpMethod.Delete, "/v1/edges/edge-1/drain");
        Assert.Equal([edges.Address(0), edges.Address(1)], Addresses(restarted));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Pools_DrainAndHealth_ShownWithTheRoutesTheyMade_InOneResponse()
    {
        using var edges = new LoopbackEdges(3);
        await using var server = await TestServer.StartAsync(config: edges.Config());
        await Send(server, HttpMethod.Put, "/v1/edges/edge-1/drain", new { reason = "kernel update" });
        edges.Stop(1);

        // One GET: the drain and the probes' verdict come from the snapshot whose routes the same reply shows.
        PoolView? pool = null;
        await Eventually.True(async () =>
        {
            pool = Assert.Single((await server.Http.GetFromJsonAsync<List<PoolView>>("/v1/pools", AdminJson.Options))!);
            return pool.Edges[1].Addresses[0].Effective == EdgeState.Down;
        }, "edge-2 is Down in /v1/pools");
        var (drained, down, up) = (pool!.Edges[0], pool.Edges[1], pool.Edges[2]);
        Assert.Equal((true, "kernel update", false), (drained.Drained, drained.OverrideReason, drained.InAnswers));
        Assert.Equal((EdgeState.Up, false), (drained.Addresses[0].Effective, drained.Addresses[0].InAnswers));
        Assert.Equal((EdgeState.Down, false, false), (down.Addresses[0].State, down.Addresses[0].InAnswers, down.InAnswers));
        Assert.Equal((EdgeState.Up, true, false), (up.Addresses[0].Effective, up.InAnswers, up.Drained));
        Assert.StartsWith("degraded (edge-2 ", pool.TtlReason); // the route's TTL, made from that same health
        Assert.Equal((5u, false), (pool.TtlNow, pool.AllDownNow));
        Assert.Equal([edges.Address(2)], Addresses(server));
    }

    [Fact]
    public async Task Force_DownAndBack_UnknownEdge404_BadState422()
    {
        using var edges = new LoopbackEdges(2);
        await using var server = await TestServer.StartAsync(config: edges.Config());

        var forced = Assert.Single(await Send(server, HttpMethod.Put, "/v1/edges/edge-2/force", new { state = "down", reason = "test" }));
        Assert.Equal(((EdgeState?)EdgeState.Down, EdgeState.Up, EdgeState.Down), (forced.Forced, forced.Addresses[0].State, forced.Addresses[0].Effective));
        Assert.Equal([edges.Address(0)], Addresses(server));
        await Send(server, HttpMethod.Delete, "/v1/edges/edge-2/force");
        Assert.Equal([edges.Address(0), edges.Address(1)], Addresses(server));

        await Send(server, HttpMethod.Put, "/v1/edges/edge-9/drain", expected: HttpStatusCode.NotFound);
        await Send(server, HttpMethod.Put, "/v1/edges/edge-2/force", new { state = "sideways" }, HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task AddedEdge_ProbedInAnswers_SurvivesRestart_Removed()
    {
        using var edges = new LoopbackEdges(3);
        var config = edges.Config(configured: 2);
        var first = await TestServer.StartAsync(config: config);
        var directory = first.Directory;
        await using (first.KeepDirectory())
        {
            using var response = await first.Http.PostAsJsonAsync("/v1/pools/app.example.com/edges", new { name = "edge-3", ipv4 = edges.Address(2), country = "DE", weight = 2 });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var added = (await response.Content.ReadFromJsonAsync<EdgeView>(AdminJson.Options))!;
            // Probed before the reply: the edge is Up and answered already.
            Assert.Equal(("api", EdgeState.Up, true, "DE", 2.0), (added.Source, added.Addresses[0].State, added.InAnswers, added.Country, added.Weight));
            Assert.Equal([edges.Address(0), edges.Address(1), edges.Address(2)], Addresses(first));
        }
        await using var restarted = await TestServer.StartAsync(config: config, directory: directory);
        Assert.Equal([edges.Address(0), edges.Address(1), edges.Address(2)], Addresses(restarted));
        Assert.Equal("api", (await restarted.Http.GetFromJsonAsync<List<EdgeView>>("/v1/edges", AdminJson.Options))!.Single(e => e.Name == "edge-3").Source);

        using var removed = await restarted.Http.DeleteAsync("/v1/pools/app.example.com/edges/edge-3");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal([edges.Address(0), edges.Address(1)], Addresses(restarted));
        Assert.DoesNotContain(restarted.Service.Observations.Snapshot.Pools.Pools.SelectMany(p => p.Edges), e => e.Source == "api"); // the snapshot holds the state file's edges: none
        Directory.Delete(directory, recursive: true);
    }

    [Theory]
    [InlineData("app.example.com", """{ "name": "edge-1", "ipv4": "127.0.0.200" }""", HttpStatusCode.Conflict, "from the config file")]
    [InlineData("app.example.com", """{ "name": "edge-x", "ipv4": "127.0.0.999", "latitude": 100 }""", HttpStatusCode.UnprocessableEntity, "ipv4: '127.0.0.999' is not an IPv4 address")]
    [InlineData("app.example.com", """{ "name": "edge-x" }""", HttpStatusCode.UnprocessableEntity, "an edge needs ipv4, ipv6 or both")]
    [InlineData("app.example.com", """{ "name": "edge-x", "ipv4": "127.0.0.200", "wieght": 2 }""", HttpStatusCode.BadRequest, "wieght")]
    [InlineData("nope.example.com", """{ "name": "edge-x", "ipv4": "127.0.0.200" }""", HttpStatusCode.NotFound, "no pool named 'nope.example.com'")]
    public async Task AddEdge_Refused_Says(string pool, string body, HttpStatusCode status, string message)
    {
        using var edges = new LoopbackEdges(1);
        await using var server = await TestServer.StartAsync(config: edges.Config());

        using var response = await server.Http.PostAsync($"/v1/pools/{pool}/edges", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(server.Service.Observations.Snapshot.Pools.Pools.SelectMany(p => p.Edges), e => e.Source == "api"); // the snapshot holds the state file's edges: none
    }

    [Fact]
    public async Task RemoveConfigEdge_409()
    {
        using var edges = new LoopbackEdges(1);
        await using var server = await TestServer.StartAsync(config: edges.Config());

        using var response = await server.Http.DeleteAsync("/v1/pools/app.example.com/edges/edge-1");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }
}
