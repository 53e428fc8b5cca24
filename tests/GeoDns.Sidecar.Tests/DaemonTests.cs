using System.Net;
using System.Net.Http.Headers;
using GeoDns.Sidecar.Daemon;
using GeoDns.Sidecar.Rotation;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoDns.Sidecar.Tests;

public sealed class DaemonTests
{
    [Fact]
    public async Task OutageWatch_DownOnEveryNameserverForDownFor_Due()
    {
        using var sidecar = FakeSidecar.Create();
        var watch = new OutageWatch(sidecar.Session);
        sidecar.Ns1.States["edge-1"] = "Down";

        Assert.Empty(await watch.DueAsync(default)); // ns2 still sees it Up
        sidecar.Ns2.States["edge-1"] = "down";
        Assert.Empty(await watch.DueAsync(default)); // Down everywhere, from now
        sidecar.Time.Advance(TimeSpan.FromSeconds(19));
        Assert.Empty(await watch.DueAsync(default));
        sidecar.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["edge-1"], await watch.DueAsync(default));

        sidecar.Ns2.States["edge-1"] = "Suspect"; // a flap starts the count again
        Assert.Empty(await watch.DueAsync(default));
        sidecar.Ns2.States["edge-1"] = "Down";
        sidecar.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Empty(await watch.DueAsync(default));
    }

    [Fact]
    public async Task OutageWatch_DownOnOneNameserver_TheOtherNotAnswering_NeverDue()
    {
        using var sidecar = FakeSidecar.Create();
        var watch = new OutageWatch(sidecar.Session);
        sidecar.Ns1.States["edge-1"] = "Down";
        sidecar.Ns2.RequiredToken = "not-the-sidecars"; // ns2 answers nothing the sidecar can read: no vote

        Assert.Empty(await watch.DueAsync(default));
        sidecar.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty(await watch.DueAsync(default)); // one Down of two nameservers is no majority

        sidecar.Ns2.RequiredToken = "admin-token";
        sidecar.Ns2.States["edge-1"] = "Down";
        Assert.Empty(await watch.DueAsync(default)); // both now: the count starts here
        sidecar.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(["edge-1"], await watch.DueAsync(default));
    }

    [Fact]
    public async Task Endpoint_NeedsToken_StartsRotation_UnknownEdge404()
    {
        using var sidecar = FakeSidecar.Create();
        using var stop = new CancellationTokenSource();
        var daemon = new SidecarDaemon(sidecar.Session, NullLoggerFactory.Instance);
        var running = daemon.RunAsync(stop.Token);
        var endpoint = await daemon.Address.WaitAsync(TimeSpan.FromSeconds(10));
        using var http = new HttpClient { BaseAddress = new Uri(endpoint) };

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/v1/rotate/edge-1", null)).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sidecar-token");
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/v1/rotate/edge-7", null)).StatusCode);
        var accepted = await http.PostAsync("/v1/rotate/edge-1", null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("/v1/rotations/1", accepted.Headers.Location?.ToString());
        // The document `rotate EDGE --json` prints: a forwarded rotate --json prints the same.
        using (var body = System.Text.Json.JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()))
        {
            Assert.Equal(["id", "oldEdge", "newEdge", "trigger", "status", "step", "reason", "started", "finished", "events"], body.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal("edge-1-r1", body.RootElement.GetProperty("newEdge").GetString());
            // Times as the server's API and the logs write them: ISO 8601 with the offset.
            Assert.Equal("2026-03-01T12:00:00+00:00", body.RootElement.GetProperty("started").GetString());
        }
        // The list says why each rotation began (`check` reads it while the daemon holds the state file).
        using (var list = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/v1/rotations")))
            Assert.Equal("POST /v1/rotate", list.RootElement[0].GetProperty("trigger").GetString());
        // Asked again while it runs: the same rotation, not a second one.
        using (var again = System.Text.Json.JsonDocument.Parse(await (await http.PostAsync("/v1/rotate/edge-1", null)).Content.ReadAsStringAsync()))
            Assert.Equal(1, again.RootElement.GetProperty("id").GetInt32());
        sidecar.Options.Listen = new Uri(endpoint).Authority;
        var (forwarded, notes) = (new StringWriter(), new StringWriter());
        Assert.Equal(0, await DaemonClient.ForwardAsync(sidecar.Options, ["rotate", "edge-1"], forwarded, notes, firewall: null, json: true, CancellationToken.None));
        // The rotation moves on meanwhile, so its shape is compared, not its events.
        using (var printed = System.Text.Json.JsonDocument.Parse(forwarded.ToString()))
        {
            Assert.Equal(["id", "oldEdge", "newEdge", "trigger", "status", "step", "reason", "started", "finished", "events"], printed.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal((1, "POST /v1/rotate"), (printed.RootElement.GetProperty("id").GetInt32(), printed.RootElement.GetProperty("trigger").GetString()));
        }

        await FakeSidecar.Until(() => sidecar.Session.Journal.Find(1)!.Step == RotationStep.WaitDrain, "the drain");
        var drive = sidecar.Drive(Task.Run(async () =>
        {
            await FakeSidecar.Until(() => sidecar.Session.Journal.Find(1)!.Status == RotationStatus.Completed, "completion");
            return true;
        }));
        Assert.True(await drive);
        Assert.Equal(["edge-1-r1"], sidecar.Log("created"));
        stop.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
