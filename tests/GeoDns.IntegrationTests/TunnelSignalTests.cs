using System.Net;
using System.Net.Http.Json;
using ARSoft.Tools.Net.Dns;
using GeoDns.Contracts;
using GeoDns.Health;
using GeoDns.Protocol;
using GeoDns.Server.Admin;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// The home sidecar's "tunnel down" through the admin API, against the real server: the edge leaves the answers
/// at once though its probes still see it Up, comes back when cleared, and by itself when the report is not renewed.
/// </summary>
public sealed class TunnelSignalTests
{
    private static string[] Addresses(TestServer server) =>
        server.Ask("app.example.com", DnsType.A).AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()).Order(StringComparer.Ordinal).ToArray();

    private static async Task<(HttpStatusCode Status, string Body)> Send(HttpClient http, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TunnelDown_OutOfTheAnswersAtOnce_ShownEverywhere_BackWhenCleared()
    {
        using var edges = new LoopbackEdges(3);
        await using var server = await TestServer.StartAsync(config: edges.Config());
        using var anonymous = server.NewHttpClient(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(anonymous, HttpMethod.Put, "/v1/edges/edge-2/tunnel", new { state = "down" })).Status);

        var (status, body) = await Send(server.Http, HttpMethod.Put, "/v1/edges/edge-2/tunnel", new { state = "down", reason = "WireGuard: latest handshake 212 s ago", holdSeconds = 90 });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([edges.Address(0), edges.Address(2)], Addresses(server)); // answered once the call returns
        var view = Assert.Single(System.Text.Json.JsonSerializer.Deserialize<List<EdgeView>>(body, AdminJson.Options)!);
        var address = Assert.Single(view.Addresses);
        Assert.Equal((EdgeState.Up, EdgeState.Down, false), (address.State, address.Effective, view.InAnswers)); // the probes still see it Up
        Assert.Equal("tunnel down: WireGuard: latest handshake 212 s ago", address.Passive!.Reason);
        Assert.InRange(address.Passive.SecondsLeft, 80, 90);
        var explained = (await server.Http.GetFromJsonAsync<ExplainView>("/v1/explain?name=app.example.com", AdminJson.Options))!;
        Assert.Equal("tunnel down: WireGuard: latest handshake 212 s ago", explained.Candidates.Single(c => c.Edge == "edge-2").Passive);
        Assert.Contains($"edge-2 {edges.Address(1)} is Down: tunnel down: WireGuard: latest handshake 212 s ago", explained.TtlReason);
        Assert.Contains(server.Service.Observations.Transitions(target: $"tcp://{edges.Address(1)}:{edges.Port}"), t => t.Reason == "passive: tunnel down: WireGuard: latest handshake 212 s ago");

        Assert.Equal(HttpStatusCode.OK, (await Send(server.Http, HttpMethod.Put, "/v1/edges/edge-2/tunnel", new { state = "up" })).Status);
        Assert.Equal([edges.Address(0), edges.Address(1), edges.Address(2)], Addresses(server));
        await Send(server.Http, HttpMethod.Put, "/v1/edges/edge-2/tunnel", new { state = "down" });
        Assert.Equal(HttpStatusCode.OK, (await Send(server.Http, HttpMethod.Delete, "/v1/edges/edge-2/tunnel")).Status);
        Assert.Equal([edges.Address(0), edges.Address(1), edges.Address(2)], Addresses(server));
    }

    [Fact]
    public async Task NotRenewed_ExpiresByItself()
    {
        using var edges = new LoopbackEdges(2);
        await using var server = await TestServer.StartAsync(config: edges.Config());

        await Send(server.Http, HttpMethod.Put, "/v1/edges/edge-1/tunnel", new { state = "down", holdSeconds = 1 });
        Assert.Equal([edges.Address(1)], Addresses(server));

        // A sidecar that stopped reporting pins nothing: back after the hold, without any call.
        await Eventually.True(() => Addresses(server).Length == 2, "the edge is answered again once the signal expires");
        Assert.Contains(server.Service.Observations.Transitions(target: $"tcp://{edges.Address(0)}:{edges.Port}"), t => t.Reason == "passive signal expired");
    }

    [Theory]
    [InlineData("""{"state":"sideways"}""", HttpStatusCode.UnprocessableEntity, "state: 'sideways' is not down or up")]
    [InlineData("""{"state":"down","holdSeconds":0}""", HttpStatusCode.UnprocessableEntity, "holdSeconds: 0 is not within 1..3600")]
    [InlineData("""{"state":"down","hold":5}""", HttpStatusCode.BadRequest, "hold")]
    [InlineData("", HttpStatusCode.BadRequest, "a JSON object is required")]
    public async Task BadReport_ClearError_NothingChanges(string json, HttpStatusCode expected, string error)
    {
        using var edges = new LoopbackEdges(1);
        await using var server = await TestServer.StartAsync(config: edges.Config());

        using var response = await server.Http.PutAsync("/v1/edges/edge-1/tunnel", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(expected, response.StatusCode);
        Assert.Contains(error, await response.Content.ReadAsStringAsync());
        Assert.Equal([edges.Address(0)], Addresses(server));
        Assert.Equal(HttpStatusCode.NotFound, (await Send(server.Http, HttpMethod.Put, "/v1/edges/edge-9/tunnel", new { state = "down" })).Status);
    }
}
