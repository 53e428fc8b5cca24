using System.Net;
using System.Net.Http.Headers;
using GeoDns.Sidecar.Daemon;
using GeoDns.Sidecar.WireGuard;
using GeoDns.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The fleet panel over two real GeoDns servers on loopback (their real /healthz and /v1/edges, their own probes of a
/// live and a dead edge), in headless Chromium; then its drain endpoint, proved on the servers themselves.
/// </summary>
public sealed class FleetPanelEndToEndTests
{
    [SkippableFact]
    public async Task RealNameservers_PanelShowsTheirViews_DrainReachesBoth()
    {
        Skip.If(HeadlessChromium.Path is null, "chromium is not installed (.ci/run installs it)");
        using var scratch = new Scratch();
        using var provider = new LocalProvider(scratch);
        var (live, dead) = (provider.Prefix + "11", provider.Prefix + "12"); // nothing ever listens on the second
        await provider.StartAsync("edge-1", live);
        var edges = new[] { ("edge-1", live), ("edge-2", dead) };
        await using var ns1 = await Nameserver.StartAsync(provider.Port, edges);
        await using var ns2 = await Nameserver.StartAsync(provider.Port, edges);
        var opened = SidecarSession.Open(new SidecarOptions
        {
            Nameservers = [ns1.AdminUri.ToString(), ns2.AdminUri.ToString()],
            AdminToken = Nameserver.AdminToken,
            Token = "sidecar-token",
            Listen = "127.0.0.1:0",
            Pool = "app.example.com",
            WireguardDir = scratch["wg"],
            Data = scratch["data"],
            Apply = "true",
            TunnelCheck = new() { Command = "" },
            FirewallCheck = "",
            Rotation = new() { PollInterval = TimeSpan.FromMilliseconds(200), DownFor = TimeSpan.FromHours(1) },
            Edges = [new EdgeHost { Name = "edge-1", Ipv4 = live, Country = "DE" }, new EdgeHost { Name = "edge-2", Ipv4 = dead, Country = "SG" }],
        }, TimeProvider.System, NullLoggerFactory.Instance);
        Assert.True(opened.Ok, opened.Error);
        using var session = opened.Value!;
        session.GenerateKeys = KeyPair.GenerateWithNSec;
        using var stop = new CancellationTokenSource();
        var daemon = new SidecarDaemon(session, NullLoggerFactory.Instance);
        var running = daemon.RunAsync(stop.Token);
        try
        {
            var page = new Uri(await daemon.Address.WaitAsync(TimeSpan.FromSeconds(10)) + "/");
            bool Seen(string edge, string state) => daemon.Fleet.Edges.SingleOrDefault(e => e.Name == edge) is { } e && e.Views.Count == 2 && e.Views.All(v => v.State == state);
            await FakeSidecar.Until(() => Seen("edge-1", "Up") && Seen("edge-2", "Down"), "edge-1 Up and edge-2 Down on both nameservers", 20_000);

            var dom = await HeadlessChromium.DumpDomAsync(page);

            Assert.Contains("""data-edge="edge-1" data-verdict="Up" data-down="false" data-disagreeing="false">""", dom);
            Assert.Contains("""data-edge="edge-2" data-verdict="Down" data-down="true" data-disagreeing="false">""", dom);
            Assert.Contains($"""data-nameserver="{ns1.AdminUri.GetLeftPart(UriPartial.Authority)}" data-reachable="true" data-status="ready">""", dom);
            Assert.Contains($"version {Assert.IsType<string>(daemon.Fleet.Nameservers[0].Version)}", dom); // as the server's /healthz says it
            Assert.Contains("1 zone served", dom);
            // Their zone's serial, the same on both, and when their zone files loaded (at their start).
            Assert.Contains("""<div data-serial="1" data-serial-differs="false">Zone example.com: serial 1</div>""", dom);
            Assert.Matches("""data-reloaded-seconds="\d+" data-reload-failed-seconds="">Zone files: loaded \d+ s ago</div>""", dom);
            // No geo database: every client is unknown and gets every healthy edge, so edge-1 answers every country; edge-2 none.
            var everywhere = daemon.Fleet.Edges.Single(e => e.Name == "edge-1").AnswersFor!.Values.Sum(c => c.Count);
            Assert.True(everywhere > 200, $"edge-1 answers {everywhere} countries");
            Assert.Contains($"""({everywhere} countries)</summary>""", dom);
            Assert.Contains("""<summary>Answers for: no country</summary>""", dom);

            using var http = new HttpClient { BaseAddress = page, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", "sidecar-token") } };
            Assert.Equal(HttpStatusCode.OK, (await http.PutAsync("/v1/edges/edge-1/drain", null)).StatusCode);
            Assert.True(ns1.IsDrained("edge-1") && ns2.IsDrained("edge-1"));
            await FakeSidecar.Until(() => daemon.Fleet.Edges.Single(e => e.Name == "edge-1").Views.All(v => v.Drained && !v.InAnswers), "edge-1 drained in the panel's view");
            Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync("/v1/edges/edge-1/drain")).StatusCode);
            Assert.False(ns1.IsDrained("edge-1") || ns2.IsDrained("edge-1"));
        }
        finally
        {
            await stop.CancelAsync();
            await running.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
