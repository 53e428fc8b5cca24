using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using GeoDns.Configuration;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// The dashboard in a real headless Chromium against the real server: the rendered page (after its
/// scripts have fetched the data) shows every edge in its state, every zone with its serial and the error of
/// a failed reload, times with their date, and fits a phone's width. Screenshots are kept as test
/// artefacts: TestResults/dashboard.png and dashboard-phone.png beside the test assembly.
/// </summary>
public sealed class DashboardTests
{
    /// <summary>A time as the page shows it: the local date and time, then the zone ("UTC", "GMT+1", "CET").</summary>
    private const string LocalTime = @"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [^<\s][^<]*";

    private static readonly string? Chromium = HeadlessChromium.Path;

    [SkippableFact]
    public async Task Dashboard_InHeadlessChromium_ShowsEveryEdgeInItsState()
    {
        Skip.If(Chromium is null, "chromium is not installed (.ci/run installs it)");
        using var edges = new LoopbackEdges(3);
        edges.Stop(2);
        // An HTTPS-probed pool whose edge's certificate has 3 days left: below the default 14, marked.
        await using var tls = new TlsTestServer(TestCertificates.SelfSigned("secure.example.com", TimeSpan.FromDays(3.5)));
        var config = edges.Config().Replace("\"pools\": [", $$"""
            "pools": [{
              "name": "secure.example.com",
              "probe": { "type": "https", "port": {{tls.Port}}, "host": "secure.example.com", "allowInvalidCertificate": true, "interval": "1s", "timeout": "900ms" },
              "edges": [{ "name": "edge-tls", "ipv4": "127.0.0.1" }]
            },
            """);
        await using var server = await TestServer.StartAsync(config: config);
        using (var drain = await server.Http.PutAsync("/v1/edges/edge-2/drain", null)) drain.EnsureSuccessStatusCode();

        var dom = await HeadlessChromium.RunAsync("--dump-dom", server.AdminUri);

        Assert.Contains("""data-edge="edge-1" data-address="{0}" data-state="Up" data-drained="false">""".Replace("{0}", edges.Address(0)), dom);
        Assert.Contains("""data-edge="edge-2" data-address="{0}" data-state="Up" data-drained="true">""".Replace("{0}", edges.Address(1)), dom);
        Assert.Contains("""data-edge="edge-3" data-address="{0}" data-state="Down" data-drained="false">""".Replace("{0}", edges.Address(2)), dom);
        Assert.Contains("app.example.com", dom);
        Assert.Contains("connection refused", dom); // the last probe of edge-3, and its transition
        Assert.Contains("""<td data-certificate-days="3" data-certificate-low="true" data-label="Certificate"><span class="cert low" title="certificate: warning below 14 days">3 days</span></td>""", dom);
        Assert.Contains($"<span class=\"version\" id=\"version\">{ProgramVersion.Text}</span>", dom);
        // Every time shown carries its date and zone: the status line, the transitions, the edges' "since" and the zone's load.
        var times = Regex.Matches(dom, "<time datetime=\"([^\"]+)\">([^<]*)</time>");
        Assert.True(times.Count >= 3 + 4 + 1 + 1, $"{times.Count} times shown");
        Assert.All(times, t => Assert.Matches($"^{LocalTime}$", t.Groups[2].Value));
        // In the browser's zone, not the server's (UTC, +00:00, in the API's ISO text).
        Assert.All(times, t => Assert.Equal(DateTimeOffset.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(5.5))
            .ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " GMT+5:30", t.Groups[2].Value));
        // The home's last contact, by the server's clock: the drain above carried the admin token.
        Assert.Matches($"<div id=\"status\" class=\"\">updated <time datetime=\"[^\"]+\">{LocalTime}</time> · refreshes every 2 s · the home last reached this nameserver \\d+ s ago</div>", dom);
        Assert.DoesNotMatch(@"\d:\d{2}:\d{2}\s?[AP]M", dom);

        await ScreenshotAsync(server, "dashboard.png", "1200,800");
    }

    [SkippableFact]
    public async Task Dashboard_Zones_SerialServed_ThenAFailedReloadWithFileAndLine_HealthzWarnsStill200()
    {
        Skip.If(Chromium is null, "chromium is not installed (.ci/run installs it)");
        await using var server = await TestServer.StartAsync(TestServer.ExampleZone.Replace(" 1 3600", " 7 3600"));

        var dom = await HeadlessChromium.RunAsync("--dump-dom", server.AdminUri);

        Assert.Matches("""<tr data-zone="example.com." data-serial="7" data-failed="false"><td data-label="Zone">example.com.</td><td data-label="Serial">7</td><td data-label="Records">4</td><td data-label="Loaded"><time datetime="[^"]+">""" + LocalTime + "</time></td>", dom);
        Assert.Contains($"""<td class="path" data-label="File">{Path.Combine(server.ZoneDirectory, "example.com.zone")}</td><td class="muted" data-label="Last reload">loaded</td>""", dom);

        await File.WriteAllTextAsync(Path.Combine(server.ZoneDirectory, "example.com.zone"), TestServer.ExampleZone.Replace(" 1 3600", " 8 3600").Replace("127.0.0.10", "127.0.0.999"));
        using (var reload = await server.Http.PostAsync("/v1/zones/reload", null)) Assert.Equal(HttpStatusCode.UnprocessableEntity, reload.StatusCode);
        dom = await HeadlessChromium.RunAsync("--dump-dom", server.AdminUri);

        // Still serial 7 (the previous version), and why 8 is not.
        var error = $"{Path.Combine(server.ZoneDirectory, "example.com.zone")}:6: A address '127.0.0.999' is not an IPv4 address";
        Assert.Contains("""<tr data-zone="example.com." data-serial="7" data-failed="true">""", dom);
        Assert.Contains($"""<td class="error" data-label="Last reload">reload failed; the previous version is still served:<div>{error}</div></td>""", dom);
        Assert.Contains($"zone example.com.: reload failed: {error}; its previous version (serial 7) is served", dom); // /healthz's warning, shown on top
        using var health = await server.Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains($"zone example.com.: reload failed: {error}; its previous version (serial 7) is served", await health.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task Dashboard_PhoneWidth_NothingWiderThanTheScreen_EdgesAsCards()
    {
        Skip.If(!HeadlessChromium.PhoneWidth, "chromium-headless-shell is not installed (.ci/run installs it); chromium's headless window is at least 500 px wide");
        using var edges = new LoopbackEdges(3);
        edges.Stop(2);
        // Long texts on purpose: a zone file that never loaded and a failed reload (paths, file:line errors) beside the edges.
        using var directory = new TempDirectory();
        directory.Write("zones/example.net.zone", TestServer.ExampleZone.Replace("$ORIGIN example.com.", "$ORIGIN example.net.") + "\nbad  IN A   127.0.0.999\n");
        await using var server = await TestServer.StartAsync(config: edges.Config(), directory: directory.Path, degraded: true);
        using (var drain = await server.Http.PutAsync("/v1/edges/edge-2/drain", null)) drain.EnsureSuccessStatusCode();
        await File.WriteAllTextAsync(Path.Combine(server.ZoneDirectory, "example.com.zone"), TestServer.ExampleZone.Replace("127.0.0.10", "127.0.0.999"));
        using (var reload = await server.Http.PostAsync("/v1/zones/reload", null)) Assert.Equal(HttpStatusCode.UnprocessableEntity, reload.StatusCode);

        var dom = await HeadlessChromium.RunAsync("--dump-dom", server.AdminUri, "--window-size=390,900");

        var page = Regex.Match(dom, "<html [^>]*data-scroll-width=\"(\\d+)\" data-viewport-width=\"(\\d+)\"");
        Assert.True(page.Success, "the page did not record its width");
        Assert.Equal(390, int.Parse(page.Groups[2].Value, CultureInfo.InvariantCulture)); // the window is a phone's
        Assert.InRange(int.Parse(page.Groups[1].Value, CultureInfo.InvariantCulture), 0, 390); // and nothing scrolls sideways
        Assert.Contains("""data-edge="edge-3" data-address="{0}" data-state="Down" data-drained="false">""".Replace("{0}", edges.Address(2)), dom);
        Assert.Contains($"""<tr data-not-loaded="{Path.Combine(server.ZoneDirectory, "example.net.zone")}">""", dom);
        Assert.Contains("example.net.zone:7: A address '127.0.0.999' is not an IPv4 address", dom);
        Assert.Contains("""<tr data-zone="example.com." data-serial="1" data-failed="true">""", dom);

        await ScreenshotAsync(server, "dashboard-phone.png", "390,900");
    }

    /// <summary>Keeps a screenshot of the page as TestResults/<paramref name="name"/> beside the test assembly.</summary>
    private static Task ScreenshotAsync(TestServer server, string name, string windowSize) =>
        HeadlessChromium.ScreenshotAsync(server.AdminUri, Path.Combine(AppContext.BaseDirectory, "TestResults", name), windowSize);
}
