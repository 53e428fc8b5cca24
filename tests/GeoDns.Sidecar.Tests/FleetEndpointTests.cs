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

        Assert.Equal(["at", "pollSeconds", "pool", "nameservers", "edges", "homeCertificate", "budget", "rotations", "alerts", "emergency"], Names(root));
        Assert.Equal("2026-03-01T12:00:00+00:00", root.GetProperty("at").GetString());
        Assert.Equal(["name", "url", "reachable", "error", "unreachableSince", "unreachableSeconds", "status", "version", "zones", "problem", "warnings",
            "zone", "serial", "serialDiffers", "reloadedAt", "reloadedSeconds", "reloadFailedAt", "reloadFailedSeconds"], Names(root.GetProperty("nameservers")[0]));
        Assert.Contains("isolated", root.GetProperty("nameservers")[0].GetProperty("warnings")[0].GetString());
        var edge2 = root.GetProperty("edges").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "edge-2");
        Assert.Equal(["name", "role", "country", "down", "stray", "inAnswersOn", "certificateDaysLeft", "disagreeing", "tunnel", "rotatingIn", "views", "answersFor", "signals", "attack"], Names(edge2));
        Assert.Equal("""{"since":"2026-03-01T12:00:00+00:00","seconds":0}""", edge2.GetProperty("disagreeing").GetRawText());
        Assert.Equal(["nameserver", "state", "inAnswers", "drained", "since", "certificateDaysLeft", "passive", "source", "answersFor"], Names(edge2.GetProperty("views")[1]));
        Assert.Equal("Down", edge2.GetProperty("views")[1].GetProperty("state").GetString());
        Assert.Equal("""{"left":3,"daily":4}""", root.GetProperty("budget").GetRawText());
        var failed = root.GetProperty("rotations")[0];
        Assert.Equal(["id", "oldEdge", "newEdge", "trigger", "step", "status", "active", "error", "started", "finished", "events"], Names(failed));
        Assert.Equal(("Provision", "Failed", "provision hook exited with 1"), (failed.GetProperty("step").GetString(), failed.GetProperty("status").GetString(), failed.GetProperty("error").GetString()));
        Assert.Equal("""{"on":false,"onAt":[],"offAt":["http://ns1.test:8053","http://ns2.test:8053"],"since":null,"reason":null,"records":[]}""",
            root.GetProperty("emergency").GetRawText());
    }

    [Fact]
    public async Task EmergencyOnAndOff_OnEveryNameserver_WithTheToken_OneThatFailsNamed502()
    {
        await using var panel = await DaemonPanel.StartAsync(_sidecar);
        using var http = new HttpClient { BaseAddress = panel.Page };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PutAsync("/v1/pools/app.example.com/emergency", null)).StatusCode);
        Assert.Null(_sidecar.Ns1.Emergency);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sidecar-token");

        using (var on = await http.PutAsync("/v1/pools/app.example.com/emergency", null))
        {
            Assert.Equal(HttpStatusCode.OK, on.StatusCode);
            Assert.Contains("\"on\":true", await on.Content.ReadAsStringAsync());
        }
        Assert.Equal(Daemon.FleetPanel.DefaultEmergencyReason, _sidecar.Ns1.Emergency?.Reason);
        Assert.Equal(Daemon.FleetPanel.DefaultEmergencyReason, _sidecar.Ns2.Emergency?.Reason);

        _sidecar.Ns2.FailNext(HttpStatusCode.Unauthorized);
        using var refused = await http.DeleteAsync("/v1/pools/app.example.com/emergency");
        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        Assert.Contains("not switched off on http://ns2.test:8053: ", await refused.Content.ReadAsStringAsync());
        Assert.Contains("(done on the others: http://ns1.test:8053); try again", await refused.Content.ReadAsStringAsync());
        Assert.Null(_sidecar.Ns1.Emergency);
        Assert.NotNull(_sidecar.Ns2.Emergency);
    }

    [Fact]
    public async Task FleetDocument_RegionsPerEdge_SerialAndReloadsPerNameserver()
    {
        var eu = new Dictionary<string, IReadOnlyList<string>> { ["EU"] = ["AT", "DE", "FR"] };
        _sidecar.Ns1.AnswersFor["edge-1"] = _sidecar.Ns2.AnswersFor["edge-1"] = eu;
        _sidecar.Ns1.AnswersFor["edge-2"] = new() { ["AS"] = ["JP", "SG"], ["OC"] = ["AU"] };
        _sidecar.Ns2.AnswersFor["edge-2"] = new() { ["AS"] = ["SG"] };
        _sidecar.Ns1.ReloadedAt = _sidecar.Time.GetUtcNow().AddMinutes(-5);
        _sidecar.Ns1.ReloadFailedAt = _sidecar.Time.GetUtcNow().AddMinutes(-2);
        _sidecar.Ns2.Serial = 2026030102;
        await using var panel = await DaemonPanel.StartAsync(_sidecar);
        using var http = new HttpClient { BaseAddress = panel.Page };

        using var json = JsonDocument.Parse(await http.GetStringAsync("/v1/fleet"));
        var root = json.RootElement;

        var edges = root.GetProperty("edges").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.Equal("""{"EU":["AT","DE","FR"]}""", edges["edge-1"].GetProperty("answersFor").GetRawText()); // both agree
        Assert.Equal(JsonValueKind.Null, edges["edge-2"].GetProperty("answersFor").ValueKind); // they differ: each view says its own
        Assert.Equal(["""{"AS":["JP","SG"],"OC":["AU"]}""", """{"AS":["SG"]}"""], edges["edge-2"].GetProperty("views").EnumerateArray().Select(v => v.GetProperty("answersFor").GetRawText()));
        var (ns1, ns2) = (root.GetProperty("nameservers")[0], root.GetProperty("nameservers")[1]);
        Assert.Equal(("example.com", 2026030101u, true), (ns1.GetProperty("zone").GetString(), ns1.GetProperty("serial").GetUInt32(), ns1.GetProperty("serialDiffers").GetBoolean()));
        Assert.Equal((2026030102u, true), (ns2.GetProperty("serial").GetUInt32(), ns2.GetProperty("serialDiffers").GetBoolean()));
        Assert.Equal(("2026-03-01T11:55:00+00:00", 300), (ns1.GetProperty("reloadedAt").GetString(), ns1.GetProperty("reloadedSeconds").GetInt32()));
        Assert.Equal(("2026-03-01T11:58:00+00:00", 120), (ns1.GetProperty("reloadFailedAt").GetString(), ns1.GetProperty("reloadFailedSeconds").GetInt32()));
        // ns2 does not say when it reloaded (an older server): null, and the look goes on.
        Assert.Equal((true, JsonValueKind.Null, JsonValueKind.Null), (ns2.GetProperty("reachable").GetBoolean(), ns2.GetProperty("reloadedAt").ValueKind, ns2.GetProperty("reloadFailedAt").ValueKind));

        _sidecar.Ns2.Serial = 2026030101;
        await panel.AdvanceAsync(TimeSpan.FromSeconds(1));
        using var after = JsonDocument.Parse(await http.GetStringAsync("/v1/fleet"));
        Assert.All(after.RootElement.GetProperty("nameservers").EnumerateArray(), n => Assert.False(n.GetProperty("serialDiffers").GetBoolean()));
    }

    [Fact]
    public async Task FleetDocument_NameserverWithoutZonesOrRegions_StillLookedAt_Nulls()
    {
        _sidecar.Ns2.ListsZones = false;
        await using var panel = await DaemonPanel.StartAsync(_sidecar);
        using var http = new HttpClient { BaseAddress = panel.Page };

        using var json = JsonDocument.Parse(await http.GetStringAsync("/v1/fleet"));
        var ns2 = json.RootElement.GetProperty("nameservers")[1];

        Assert.True(ns2.GetProperty("reachable").GetBoolean());
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null, false), (ns2.GetProperty("zone").ValueKind, ns2.GetProperty("serial").ValueKind, ns2.GetProperty("serialDiffers").GetBoolean()));
        Assert.All(json.RootElement.GetProperty("edges").EnumerateArray(), e => Assert.Equal(JsonValueKind.Null, e.GetProperty("answersFor").ValueKind));
    }

    private static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];
}
