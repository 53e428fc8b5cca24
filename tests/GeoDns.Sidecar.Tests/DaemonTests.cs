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
        var body = await accepted.Content.ReadAsStringAsync();
        Assert.Contains("\"newEdge\":\"edge-1-r1\"", body);
        // Times as the server's API and the logs write them: ISO 8601 with the offset.
        Assert.Contains("\"started\":\"2026-03-01T12:00:00+00:00\"", body);
        // Asked again while it runs: the same rotation, not a second one.
        Assert.Contains("\"id\":1", await (await http.PostAsync("/v1/rotate/edge-1", null)).Content.ReadAsStringAsync());

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
