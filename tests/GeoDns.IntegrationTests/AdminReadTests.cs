using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoDns.Configuration;
using GeoDns.Health;
using GeoDns.Contracts;
using GeoDns.Server.Admin;

namespace GeoDns.IntegrationTests;

/// <summary>The admin endpoint's reads, over real HTTP against the real host: health, pools and edges, zones, events.</summary>
public sealed class AdminReadTests
{
    private static Task<T?> Get<T>(TestServer server, string path) => server.Http.GetFromJsonAsync<T>(path, AdminJson.Options);

    [Fact]
    public async Task Healthz_ReadyAfterStart()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await server.Http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("ready", ProgramVersion.Text), (health.GetProperty("status").GetString(), health.GetProperty("version").GetString()));
        Assert.Empty(health.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task Healthz_ZoneReloadFailed_Still200_WarnsWithFileAndLine_NamesTheVersion()
    {
        await using var server = await TestServer.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(server.ZoneDirectory, "example.com.zone"), TestServer.ExampleZone.Replace("127.0.0.10", "127.0.0.999"));
        using (var reload = await server.Http.PostAsync("/v1/zones/reload", null)) Assert.Equal(HttpStatusCode.UnprocessableEntity, reload.StatusCode);

        using var response = await server.Http.GetAsync("/healthz");

        // The previous version answers: ready (200), and the warning says what is not live and why.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("ready", ProgramVersion.Text), (health.GetProperty("status").GetString(), health.GetProperty("version").GetString()));
        Assert.Matches(@"^\d+\.\d+\.\d+", ProgramVersion.Text);
        var warning = Assert.Single(health.GetProperty("warnings").EnumerateArray()).GetString();
        Assert.StartsWith("zone example.com.: reload failed: ", warning);
        Assert.Contains("example.com.zone:6: A address '127.0.0.999' is not an IPv4 address", warning);
        Assert.Contains("its previous version (serial 1) is served", warning);
        // /v1/zones puts the error on the zone it kept.
        var zone = Assert.Single((await Get<ZonesView>(server, "/v1/zones"))!.Zones);
        Assert.Equal((1u, 6), (zone.Serial, Assert.Single(zone.Errors).Line));
    }

    [Fact]
    public async Task PoolsAndEdges_StatesProbesAndAnswers()
    {
        using var edges = new LoopbackEdges(2);
        edges.Stop(1);
        await using var server = await TestServer.StartAsync(config: edges.Config());

        var pool = Assert.Single((await Get<List<PoolView>>(server, "/v1/pools"))!);
        Assert.Equal(("app.example.com", 30u, 2, "all", false), (pool.Name, pool.Ttl, pool.Answers, pool.AllDown, pool.AllDownNow));
        // interval + timeout + max(ttl, (failuresToDown - 1) x timeout + degradedTtl); degraded: interval + 2 x timeout + degradedTtl.
        Assert.Equal(1 + 0.5 + 30, pool.ExposureSeconds, 6);
        Assert.Equal(1 + 2 * 0.5 + 5, pool.DegradedExposureSeconds, 6);
        Assert.Equal((30u, 5u, 5u), (pool.Ttl, pool.DegradedTtl, pool.TtlNow)); // edge-2 is Down
        Assert.StartsWith("degraded (edge-2 ", pool.TtlReason);
        var all = (await Get<List<EdgeView>>(server, "/v1/edges"))!;
        Assert.Equal(["edge-1", "edge-2"], all.Select(e => e.Name));
        var (up, down) = (all[0].Addresses.Single(), all[1].Addresses.Single());
        Assert.Equal((edges.Address(0), EdgeState.Up, true, "config"), (up.Address, up.State, all[0].InAnswers, all[0].Source));
        Assert.True(up.LastProbe!.Success);
        Assert.Equal($"tcp://{edges.Address(0)}:{edges.Port}", up.Target);
        Assert.Equal((EdgeState.Down, false, false), (down.State, down.InAnswers, all[1].InAnswers));
        Assert.False(down.LastProbe!.Success);
        Assert.Contains("refused", down.LastProbe.Error);
        Assert.True(down.ConsecutiveFailures >= 1, "probes go on while we look: at least the first failure is counted"); // exact counts race the prober
    }

    [Fact]
    public async Task Zones_ListedAndReloaded_BrokenFile422WithFileAndLine_WhenLoadedAndWhenFailed()
    {
        await using var server = await TestServer.StartAsync();

        var zones = (await Get<ZonesView>(server, "/v1/zones"))!;
        var zone = Assert.Single(zones.Zones);
        Assert.Equal(("example.com.", 1u, 4), (zone.Origin, zone.Serial, zone.Records));
        Assert.EndsWith("example.com.zone", zone.File);
        Assert.Empty(zone.Errors);
        Assert.Empty(zones.Errors);
        var started = Assert.NotNull(zones.ReloadedAt); // the read at start counts
        Assert.Null(zones.ReloadFailedAt);

        var file = Path.Combine(server.ZoneDirectory, "example.com.zone");
        await File.WriteAllTextAsync(file, TestServer.ExampleZone.Replace("127.0.0.10", "127.0.0.999"));
        using var broken = await server.Http.PostAsync("/v1/zones/reload", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, broken.StatusCode);
        var error = JsonDocument.Parse(await broken.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0];
        Assert.Equal(6, error.GetProperty("line").GetInt32());
        Assert.Contains("'127.0.0.999' is not an IPv4 address", error.GetProperty("message").GetString());
        var failed = (await Get<ZonesView>(server, "/v1/zones"))!;
        Assert.Equal(started, failed.ReloadedAt);
        Assert.True(failed.ReloadFailedAt > started, $"failed at {failed.ReloadFailedAt:O}, loaded at {started:O}");

        await File.WriteAllTextAsync(file, TestServer.ExampleZone.Replace(" 1 3600", " 2 3600"));
        using var fixedUp = await server.Http.PostAsync("/v1/zones/reload", null);
        Assert.Equal(HttpStatusCode.OK, fixedUp.StatusCode);
        var reloaded = (await fixedUp.Content.ReadFromJsonAsync<ZonesView>(AdminJson.Options))!;
        Assert.Equal(2u, reloaded.Zones.Single().Serial);
        Assert.True(reloaded.ReloadedAt > failed.ReloadFailedAt);
        Assert.Equal(failed.ReloadFailedAt, reloaded.ReloadFailedAt); // the last failure stays named
    }

    [Fact]
    public async Task Events_NewestFirst_PagedAndFilteredByTarget()
    {
        using var edges = new LoopbackEdges(2);
        await using var server = await TestServer.StartAsync(config: edges.Config());
        edges.Stop(0);
        var target = $"tcp://{edges.Address(0)}:{edges.Port}";
        // Interval 1 s, then a re-probe 0.2 s later: Suspect, then Down, within about 2.5 s.
        for (var i = 0; i < 100 && server.Service.Observations.Transitions(target: target).Count < 3; i++) await Task.Delay(50);

        var events = (await Get<List<EventView>>(server, $"/v1/events?target={Uri.EscapeDataString(target)}"))!;
        Assert.Equal([HealthState.Down, HealthState.Suspect, HealthState.Up], events.Select(e => e.To));
        Assert.All(events, e => Assert.Equal(["edge-1"], e.Edges));
        Assert.Contains("connection refused", events[0].Reason);
        var page = (await Get<List<EventView>>(server, $"/v1/events?target={Uri.EscapeDataString(target)}&skip=1&take=1"))!;
        Assert.Equal(HealthState.Suspect, Assert.Single(page).To);
        Assert.Equal(4, (await Get<List<EventView>>(server, "/v1/events"))!.Count); // two Ups at start, then Suspect and Down
        using var bad = await server.Http.GetAsync("/v1/events?take=5000");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("take", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownPath_404AsJson()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await server.Http.GetAsync("/v1/nothing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no such endpoint", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }
}
