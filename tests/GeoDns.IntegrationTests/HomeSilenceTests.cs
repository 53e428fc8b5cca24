using System.Text.Json.Nodes;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// A nameserver speaks up when the home has gone quiet: the real server, no request with the admin token for
/// <c>alerts.homeSilentAfter</c>, and its alert reaches a real webhook with what it sees (and /healthz and /metrics say
/// so meanwhile); the first request with the token brings the recovery. By e-mail: <see cref="HomeSilenceMailTests"/>.
/// </summary>
public sealed class HomeSilenceTests
{
    [Fact]
    public async Task SilentHome_IsAlertedNamingTheNameserverAndWhatItSees_AndRecoversAtTheFirstTokenRequest()
    {
        using var hook = new HttpReceiver();
        using var edges = new LoopbackEdges(2);
        edges.Stop(1);
        var config = JsonNode.Parse(edges.Config())!.AsObject();
        config["name"] = "ns1";
        config["alerts"] = JsonNode.Parse($$"""{ "homeSilentAfter": "2s", "groupWindow": "0s", "channels": [ { "type": "webhook", "url": "{{hook.Url()}}" } ] }""");
        await using var server = await TestServer.StartAsync(config: config.ToJsonString());
        // Loopback reads need no token, so this client looks on without being the home.
        using var onlooker = server.NewHttpClient(token: null);
        // Once the nameserver has settled (edge-2 Down), the home calls once and falls silent. A start slower than
        // homeSilentAfter has alerted already, counting from the start: that call ends it, and it is not looked at below.
        await Eventually.True(async () => Value(await onlooker.GetStringAsync("/metrics"), "geodns_edge_state", ("edge", "edge-2"), ("state", "down")) == 1, "edge-2 Down");
        await server.Http.GetStringAsync("/v1/edges");

        var alert = (await Eventually.Any<HttpReceiver.Received>(() => [.. hook.Requests.Where(r => r.Body.Contains("No request with the admin token since 20"))], "the alert")).Single();
        // 2 s, or a little more on a loaded machine whose timer fired late.
        Assert.Matches("\"title\":\"ns1: the home has not reached this nameserver for \\d+ s\"", alert.Body);
        Assert.Contains("What it sees now: app.example.com: 1 of 2 edge(s) in answers (edge-2 Down); its probes get replies", alert.Body);
        Assert.Contains("home: not reached for ", await onlooker.GetStringAsync("/healthz"));
        var metrics = await onlooker.GetStringAsync("/metrics");
        Assert.Equal(1, Value(metrics, "geodns_home_silent"));
        Assert.True(Value(metrics, "geodns_home_last_contact_seconds") >= 2);

        await server.Http.GetStringAsync("/v1/edges"); // the home's sidecar, back

        var after = hook.Requests.ToList().IndexOf(alert) + 1;
        var recovery = (await Eventually.Any<HttpReceiver.Received>(() => [.. hook.Requests.Skip(after)], "the recovery")).Single();
        Assert.Contains("\"title\":\"ns1: resolved: the home reaches this nameserver again\"", recovery.Body);
        var health = await onlooker.GetStringAsync("/healthz");
        Assert.DoesNotContain("home: not reached", health);
        Assert.Contains("\"silent\": false", health);
        metrics = await onlooker.GetStringAsync("/metrics");
        Assert.Equal(0, Value(metrics, "geodns_home_silent"));
        Assert.InRange(Value(metrics, "geodns_home_last_contact_seconds"), 0, 10);
        // Every message the hook took is counted as sent, on its channel.
        await Eventually.True(async () => Value(await onlooker.GetStringAsync("/metrics"), "geodns_alert_deliveries_total", ("channel", "webhook 127.0.0.1"), ("status", "sent")) == hook.Requests.Count,
            "every delivery counted");
    }

    private static double Value(string metrics, string name, params (string, string)[] labels) =>
        Assert.Single(PrometheusText.Parse(metrics).Samples, s => s.Name == name && s.Has(labels)).Value;
}
