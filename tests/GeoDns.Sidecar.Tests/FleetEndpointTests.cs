using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GeoDns.Sidecar.Daemon;
using GeoDns.Sidecar.Rotation;
using Microsoft.AspNetCore.Http;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The fleet panel's side of the daemon's endpoint without a browser: who may read and change what, the drain buttons'
/// endpoints on every nameserver, and <c>GET /v1/fleet</c>'s shape, which is an API.
/// </summary>
public sealed class FleetEndpointTests : IDisposable
{
    private readonly FakeSidecar _sidecar = FakeSidecar.Create();

    public void Dispose() => _sidecar.Dispose();

    [Fact]
    public async Task OnLoopback_PageAndFleetWithoutToken_EverythingElseNeedsIt()
    {
        await using var panel = await DaemonPanel.StartAsync(_sidecar);
        using var http = new HttpClient { BaseAddress = panel.Page };

        using var page = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>GeoDns fleet</title>", await page.Content.ReadAsStringAsync());
        Assert.StartsWith("default-src 'none'; script-src 'sha256-", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/fleet")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/v1/status")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/v1/rotations")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PutAsync("/v1/edges/edge-1/drain", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.DeleteAsync("/v1/edges/edge-1/drain")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/v1/rotate/edge-1", null)).StatusCode);
        Assert.False(_sidecar.Ns1.IsDrained("edge-1"));
        // A name of someone else's pointed at 127.0.0.1 (DNS rebinding) does not read the fleet through the person's browser.
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/v1/fleet") { Headers = { Host = "fleet.attacker.example" } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(rebound)).StatusCode);
        using var tunnelled = new HttpRequestMessage(HttpMethod.Get, "/v1/fleet") { Headers = { Host = "localhost:8054" } }; // ssh -L
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(tunnelled)).StatusCode);

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sidecar-token");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/status")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sidecar-tokeN");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/v1/status")).StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1:8054", "127.0.0.1:8054", "GET", "/v1/fleet", null, true)]
    [InlineData("[::1]:8054", "[::1]:8054", "GET", "/v1/fleet", null, true)]
    [InlineData("127.0.0.1:8054", "127.0.0.1:8054", "HEAD", "/v1/fleet", null, false)]
    [InlineData("127.0.0.1:8054", "127.0.0.1:8054", "POST", "/v1/rotate/edge-1", null, false)]
    [InlineData("127.0.0.1:8054", "127.0.0.1:8054", "POST", "/v1/rotate/edge-1", "Bearer t0ken", true)]
    // Off loopback the fleet needs the token; the page (no data in it) does not, so that it can ask for the token.
    [InlineData("192.0.2.10:8054", "192.0.2.10:8054", "GET", "/v1/fleet", null, false)]
    [InlineData("0.0.0.0:8054", "localhost:8054", "GET", "/v1/fleet", null, false)]
    [InlineData("192.0.2.10:8054", "192.0.2.10:8054", "GET", "/v1/fleet", "Bearer t0ken", true)]
    [InlineData("192.0.2.10:8054", "192.0.2.10:8054", "GET", "/", null, true)]
    [InlineData("192.0.2.10:8054", "192.0.2.10:8054", "PUT", "/v1/edges/edge-1/drain", "Bearer wrong", false)]
    public void EndpointAccess_Rule(string listen, string host, string method, string path, string? authorization, bool allowed)
    {
        var access = new EndpointAccess(IPEndPoint.Parse(listen), "t0ken");
        var context = new DefaultHttpContext { Request = { Method = method, Path = path, Host = new HostString(host) } };
        if (authorization is not null) context.Request.Headers.Authorization = authorization;

        Assert.Equal(allowed, access.Allows(context.Request));
    }

    [Fact]
    public async Task DrainAndUndrain_OnEveryNameserver_UnknownEdge404_NoUndrainWhileItsRotationRuns()
    {
        await using var panel = await DaemonPanel.StartAsync(_sidecar);
        using var http = new HttpClient { BaseAddress = panel.Page, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", "sidecar-token") } };

        using (var drained = await http.PutAsync("/v1/edges/edge-1/drain", null))
        {
            Assert.Equal(HttpStatusCode.OK, drained.StatusCode);
            Assert.Equal("""{"edge":"edge-1","drained":true,"note":null}""", await drained.Content.ReadAsStringAsync());
        }
        Assert.True(_sidecar.Ns1.IsDrained("edge-1") && _sidecar.Ns2.IsDrained("edge-1"));
        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync("/v1/edges/edge-1/drain")).StatusCode);
        Assert.False(_sidecar.Ns1.IsDrained("edge-1") || _sidecar.Ns2.IsDrained("edge-1"));

        using var unknown = await http.PutAsync("/v1/edges/edge-9/drain", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("edge 'edge-9' is not known here nor listed by any nameserver", await unknown.Content.ReadAsStringAsync());

        _sidecar.Ns2.FailNext(HttpStatusCode.Forbidden);
        using var refused = await http.PutAsync("/v1/edges/edge-2/drain", null);
        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        Assert.Contains("the admin token was refused (403)", await refused.Content.ReadAsStringAsync());

        var rotation = _sidecar.Session.Journal.Begin("edge-2", "edge-2-r1", "test");
        _sidecar.Session.Journal.Save(rotation with { Step = RotationStep.WaitDrain });
        using var midRotation = await http.DeleteAsync("/v1/edges/edge-2/drain");
        Assert.Equal(HttpStatusCode.Conflict, midRotation.StatusCode);
        Assert.Contains("rotation #1 of edge-2 is running (step WaitDrain)", await midRotation.Content.ReadAsStringAsync());
        Assert.True(_sidecar.Ns1.IsDrained("edge-2")); // still drained where it was
    }

    /// <summary>The document's names are its contract with scripts: a rename here breaks them, so it is pinned.</summary>
    [Fact]
    public async Task FleetDocument_Shape()
    {
        _sidecar.Ns2.States["edge-2"] = "Down";
        _sidecar.Ns1.Warnings.Add("probes: every edge Down from here while ns2 sees them Up: this nameserver looks isolated");
        var rotation = _sidecar.Session.Journal.Begin("edge-2", "edge-2-r1", "test");
        _sidecar.Session.Journal.Save(rotation with { Status = RotationStatus.Failed, Step = RotationStep.Provision, Error = "provision hook exited with 1" });
        await using var panel = await DaemonPanel.StartAsync(_sidecar);
        using var http = new HttpClient { BaseAddress = panel.Page };

        using var json = JsonDocument.Parse(await http.GetStringAsync("/v1/fleet"));
        var root = json.RootElement;

        Assert.Equal(["at", "pollSeconds", "pool", "nameservers", "edges", "homeCertificate", "budget", "rotations", "alerts"], Names(root));
        Assert.Equal("2026-03-01T12:00:00+00:00", root.GetProperty("at").GetString());
        Assert.Equal(["name", "url", "reachable", "error", "unreachableSince", "unreachableSeconds", "status", "version", "zones", "problem", "warnings"],
            Names(root.GetProperty("nameservers")[0]));
        Assert.Contains("isolated", root.GetProperty("nameservers")[0].GetProperty("warnings")[0].GetString());
        var edge2 = root.GetProperty("edges").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "edge-2");
        Assert.Equal(["name", "role", "country", "down", "stray", "inAnswersOn", "certificateDaysLeft", "disagreeing", "tunnel", "rotatingIn", "views", "signals"], Names(edge2));
        Assert.Equal("""{"since":"2026-03-01T12:00:00+00:00","seconds":0}""", edge2.GetProperty("disagreeing").GetRawText());
        Assert.Equal(["nameserver", "state", "inAnswers", "drained", "since", "certificateDaysLeft", "passive", "source"], Names(edge2.GetProperty("views")[1]));
        Assert.Equal("Down", edge2.GetProperty("views")[1].GetProperty("state").GetString());
        Assert.Equal("""{"left":3,"daily":4}""", root.GetProperty("budget").GetRawText());
        var failed = root.GetProperty("rotations")[0];
        Assert.Equal(["id", "oldEdge", "newEdge", "trigger", "step", "status", "active", "error", "started", "finished", "events"], Names(failed));
        Assert.Equal(("Provision", "Failed", "provision hook exited with 1"), (failed.GetProperty("step").GetString(), failed.GetProperty("status").GetString(), failed.GetProperty("error").GetString()));
    }

    private static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];
}
