using System.Net;
using GeoDns.Sidecar.Commands;
using GeoDns.Sidecar.Rotation;
using GeoDns.Sidecar.State;

namespace GeoDns.Sidecar.Tests;

public sealed class RotationEngineTests
{
    private const string Preflight = "DELETE /v1/edges/geodns-sidecar-preflight/drain";

    [Fact]
    public async Task Rotate_EveryStepInOrder_OldDrainedOnlyOnceNewIsUpEverywhere()
    {
        using var sidecar = FakeSidecar.Create();

        var rotated = await sidecar.Drive(sidecar.Session.Engine.RotateAsync("edge-2", "test"));

        Assert.True(rotated.Ok, rotated.Error);
        Assert.Equal(RotationStatus.Completed, rotated.Value!.Status);
        Assert.Equal("edge-2-r1", rotated.Value.NewEdge!.Name);
        foreach (var ns in new[] { sidecar.Ns1, sidecar.Ns2 })
        {
            var requests = ns.Requests.Where(r => !r.StartsWith("GET", StringComparison.Ordinal)).ToList();
            // The preflight first (nameserver reachable, token taken), before anything is bought.
            Assert.Equal([Preflight, "POST /v1/pools/app.example.com/edges", "PUT /v1/edges/edge-2/drain", "DELETE /v1/pools/app.example.com/edges/edge-2"], requests);
            var log = ns.Requests.ToList();
            Assert.True(log.IndexOf("GET /v1/edges") < log.IndexOf("PUT /v1/edges/edge-2/drain"));
            Assert.True(ns.Has("edge-2-r1"));
            Assert.True(ns.IsDrained("edge-2")); // a config edge: it cannot be removed through the API, so it stays drained
        }
        Assert.Equal(["edge-2-r1"], sidecar.Log("created"));
        Assert.Equal(["edge-2 192.0.2.2"], sidecar.Log("destroyed"));
        Assert.Equal(2, sidecar.Log("applied").Length); // peer added, peer removed
        var inventory = sidecar.Session.Inventory;
        Assert.Equal(EdgeRole.Retired, inventory.Find("edge-2")!.Role);
        Assert.Equal(EdgeRole.Serving, inventory.Find("edge-2-r1")!.Role);
        Assert.Equal(2, inventory.Find("edge-2-r1")!.Host.Weight); // the replacement inherits the weight
        var home = File.ReadAllText(sidecar.Session.Files.HomePath);
        Assert.Contains("# edge-2-r1", home);
        Assert.Contains("Endpoint = 192.0.2.50:51820", home);
        Assert.DoesNotContain("# edge-2\n", home);
        Assert.Contains("is in the nameserver's config file", rotated.Value.Events.Single(e => e.Step == RotationStep.RemoveOld && e.What == "done").Detail);
    }

    [Fact]
    public async Task DrainFirst_OldLeavesTheAnswersBeforeAnythingIsBought_AResumeKeepsItsDrainStart()
    {
        using var sidecar = FakeSidecar.Create();
        var create = sidecar.Options.Hooks.Create;
        sidecar.Options.Hooks.Create = "exit 1"; // the provider fails: the drained edge stays drained, as an attacked one should
        var rotation = sidecar.Session.Engine.Prepare("edge-2", "attack: flood", drainFirst: true).Value!;
        var failed = await sidecar.Drive(sidecar.Session.Engine.RunAsync(rotation));

        Assert.Equal((RotationStatus.Failed, RotationStep.Create), (failed.Status, failed.Step));
        Assert.True(failed.DrainFirst);
        var drainedAt = failed.DrainStarted!.Value;
        foreach (var ns in new[] { sidecar.Ns1, sidecar.Ns2 })
        {
            Assert.True(ns.IsDrained("edge-2"));
            var requests = ns.Requests.Where(r => !r.StartsWith("GET", StringComparison.Ordinal)).ToList();
            Assert.Equal("PUT /v1/edges/edge-2/drain", requests[0]); // before the preflight, before the create hook
        }
        Assert.Equal(EdgeRole.Serving, sidecar.Session.Inventory.Find("edge-2")!.Role); // serving at home until its replacement is Up

        // Restarted later, the hook mended: the journal says drain first and when the drain began.
        sidecar.Time.Advance(TimeSpan.FromSeconds(45));
        var restarted = sidecar.Restart();
        sidecar.Options.Hooks.Create = create;
        var resumed = restarted.Engine.Prepare("edge-2", "retry").Value!;
        Assert.Equal((rotation.Id, true, drainedAt), (resumed.Id, resumed.DrainFirst, resumed.DrainStarted));
        var run = restarted.Engine.RunAsync(resumed);
        await FakeSidecar.Until(() => restarted.Journal.Find(rotation.Id)!.Step >= RotationStep.WaitDrain, "the rotation at its drain wait");
        sidecar.Time.Advance(TimeSpan.FromSeconds(15)); // the 60 s drain began 45 s before the restart
        var done = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(RotationStatus.Completed, done.Status);
        Assert.Equal(drainedAt, done.DrainStarted);
    }

    [Fact]
    public async Task WaitDrain_RestartedSidecar_WaitsOnlyWhatIsLeft()
    {
        using var sidecar = FakeSidecar.Create();
        var rotation = sidecar.Session.Engine.Prepare("edge-1", "test").Value!;
        using (var stop = new CancellationTokenSource())
        {
            var running = sidecar.Session.Engine.RunAsync(rotation, cancel: stop.Token);
            await FakeSidecar.Until(() => sidecar.Session.Journal.Find(rotation.Id)!.Step == RotationStep.WaitDrain, "the drain wait");
            sidecar.Time.Advance(TimeSpan.FromSeconds(40));
            stop.Cancel(); // the sidecar is killed 40 s into its 60 s drain
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        }

        var restarted = sidecar.Restart();
        var resumed = restarted.Engine.Prepare("edge-1", "test").Value!;
        Assert.Equal(rotation.Id, resumed.Id);
        var run = restarted.Engine.RunAsync(resumed);
        // The wait's deadline is in the journal (drain start + 60 s), so the clock may move once the step has resumed.
        await FakeSidecar.Until(() => restarted.Journal.Find(rotation.Id)!.Events.Any(e => e is { Step: RotationStep.WaitDrain, What: "resumed" }), "the drain wait resumed");
        sidecar.Time.Advance(TimeSpan.FromSeconds(19));
        Assert.False(run.IsCompleted);
        sidecar.Time.Advance(TimeSpan.FromSeconds(1));
        var done = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(RotationStatus.Completed, done.Status);
        Assert.Equal(["edge-1-r1"], sidecar.Log("created"));
        Assert.Contains(done.Events, e => e is { Step: RotationStep.WaitDrain, What: "resumed" });
    }

    [Fact]
    public async Task NewEdgeNeverUp_StopsBeforeDrain_OldKeepsServing()
    {
        using var sidecar = FakeSidecar.Create();
        sidecar.Ns2.StateOfNewEdges = "Down";

        var rotated = await sidecar.Drive(sidecar.Session.Engine.RotateAsync("edge-2", "test"));

        Assert.False(rotated.Ok);
        Assert.Equal(RotationStep.WaitUp, rotated.Value!.Step);
        Assert.Equal(RotationStatus.Failed, rotated.Value.Status);
        Assert.Contains("edge-2-r1 not Up on every nameserver", rotated.Error);
        Assert.Contains("http://ns2.test:8053: Down", rotated.Error);
        Assert.DoesNotContain(sidecar.Ns1.Requests, r => r.StartsWith("PUT", StringComparison.Ordinal));
        Assert.False(sidecar.Ns1.IsDrained("edge-2") || sidecar.Ns2.IsDrained("edge-2"));
        Assert.Equal(EdgeRole.Serving, sidecar.Session.Inventory.Find("edge-2")!.Role);
        Assert.Empty(sidecar.Log("destroyed"));

        // Fixed, and retried by hand: the same rotation resumes, no second VPS.
        sidecar.Ns2.StateOfNewEdges = "Up";
        var retried = await sidecar.Drive(sidecar.Session.Engine.RotateAsync("edge-2", "test"));
        Assert.True(retried.Ok, retried.Error);
        Assert.Equal(rotated.Value.Id, retried.Value!.Id);
        Assert.Equal(["edge-2-r1"], sidecar.Log("created"));
    }

    [Fact]
    public async Task FailingCreate_RetriedThenStops_NothingElseTouched_StatusSaysWhy()
    {
        using var sidecar = FakeSidecar.Create(o => o.Hooks.Create = "echo \"$EDGE_NAME\" >> '" + "CREATED" + "'; echo 'quota exceeded for server type cx22' >&2; exit 1");
        sidecar.Options.Hooks.Create = sidecar.Options.Hooks.Create.Replace("CREATED", sidecar.Scratch["created"]);

        var rotated = await sidecar.Drive(sidecar.Session.Engine.RotateAsync("edge-2", "test"));

        Assert.Equal("create hook failed: exit 1: quota exceeded for server type cx22", rotated.Error);
        Assert.Equal(["edge-2-r1", "edge-2-r1"], sidecar.Log("created")); // one retry, same name both times
        Assert.All(new[] { sidecar.Ns1, sidecar.Ns2 }, ns => Assert.DoesNotContain(ns.Requests, r => !r.StartsWith("GET", StringComparison.Ordinal) && r != Preflight));
        var status = new StringWriter();
        Assert.Equal(1, StatusCommand.Run(sidecar.Session, status));
        Assert.Contains("#1 edge-2 -> edge-2-r1: Failed at Create: create hook failed: exit 1: quota exceeded", status.ToString());
        Assert.Contains("the old edge edge-2 still serves", status.ToString());
        // Times as the logs and the JSON write them: ISO 8601 with the offset.
        Assert.Contains("2026-03-01T12:00:00+00:00 Create", status.ToString());
        Assert.Contains("since 2026-03-01T12:00:00+00:00", status.ToString());
        Assert.DoesNotContain("Z ", status.ToString());
    }

    [Fact]
    public async Task AdminCalls_ServerErrorRetried_RefusedTokenNot()
    {
        using var sidecar = FakeSidecar.Create();
        sidecar.Ns1.FailNext(HttpStatusCode.ServiceUnavailable);

        // Drive: the backoff between attempts runs on the fake clock.
        Assert.True((await sidecar.Drive(sidecar.Session.Nameservers.AddAsync(new EdgeHost { Name = "edge-9", Ipv4 = "192.0.2.9" }, default))).Ok);
        Assert.True(sidecar.Ns1.Has("edge-9") && sidecar.Ns2.Has("edge-9"));

        sidecar.Ns2.RequiredToken = "another-token";
        var refused = await sidecar.Drive(sidecar.Session.Nameservers.DrainAsync("edge-9", "test", default));
        Assert.Equal("http://ns2.test:8053: draining edge-9: the admin token was refused (401)", refused.Error);
        Assert.Single(sidecar.Ns2.Requests, r => r.StartsWith("PUT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoEdgesAtOnce_BothReplaced_NoSharedTunnelAddress()
    {
        using var sidecar = FakeSidecar.Create(o => o.Rotation.MaxConcurrent = 2);
        var engine = sidecar.Session.Engine;

        var both = await sidecar.Drive(Task.WhenAll(engine.RotateAsync("edge-1", "test"), engine.RotateAsync("edge-2", "test")));

        Assert.All(both, r => Assert.True(r.Ok, r.Error));
        var inventory = sidecar.Session.Inventory;
        Assert.Equal(["edge-1-r1", "edge-2-r1"], inventory.All().Where(e => e.Role == EdgeRole.Serving).Select(e => e.Name));
        Assert.NotEqual(inventory.Find("edge-1-r1")!.Tunnel, inventory.Find("edge-2-r1")!.Tunnel);
        var home = File.ReadAllText(sidecar.Session.Files.HomePath);
        Assert.Contains("# edge-1-r1", home);
        Assert.Contains("# edge-2-r1", home);
        Assert.DoesNotContain("# edge-1\n", home);
        // Asked twice for one edge: one rotation.
        Assert.Equal(engine.Prepare("edge-1-r1", "a").Value!.Id, engine.Prepare("edge-1-r1", "b").Value!.Id);
    }

    [Fact]
    public void Prepare_UnknownOrNotServingEdge_SaysWhy_NewNamesCountUp()
    {
        using var sidecar = FakeSidecar.Create();
        var engine = sidecar.Session.Engine;

        Assert.Equal("edge edge-7 is not known to the sidecar (list it under \"edges\" in the sidecar config)", engine.Prepare("edge-7", "test").Error);
        sidecar.Session.Inventory.Change("edge-1", EdgeRole.Draining);
        Assert.Equal("edge edge-1 is draining, not serving: nothing to rotate", engine.Prepare("edge-1", "test").Error);
        Assert.Equal("edge-2-r1", engine.NewName("edge-2"));
        sidecar.Session.Journal.Begin("edge-2", "edge-2-r1", "test");
        Assert.Equal("edge-2-r2", engine.NewName("edge-2-r1"));
    }

    [Fact]
    public async Task GuardRails_OneRotationAtATime_DailyBudget()
    {
        using var sidecar = FakeSidecar.Create(o => o.Rotation.DailyBudget = 2);
        var engine = sidecar.Session.Engine;
        var first = engine.Prepare("edge-1", "test").Value!;
        sidecar.Session.Journal.Save(first with { Status = RotationStatus.Running });

        // Every edge down at once must not buy a VPS per edge.
        Assert.Equal("1 rotation(s) running already (rotation.maxConcurrent = 1): edge-2 waits", engine.Prepare("edge-2", "test").Error);

        var done = await sidecar.Drive(engine.RunAsync(first));
        Assert.Equal(RotationStatus.Completed, done.Status);
        var second = await sidecar.Drive(engine.RotateAsync("edge-2", "test"));
        Assert.True(second.Ok, second.Error);
        Assert.Equal("2 rotations begun in the last 24 h (rotation.dailyBudget = 2): edge-1-r1 is not rotated", engine.Prepare("edge-1-r1", "test").Error);
        sidecar.Time.Advance(TimeSpan.FromDays(1));
        Assert.True(engine.Prepare("edge-1-r1", "test").Ok);
    }

    [Fact]
    public async Task Preflight_TokenRefused_NothingBought()
    {
        using var sidecar = FakeSidecar.Create(o => o.AdminToken = "wrong-token");

        var rotated = await sidecar.Drive(sidecar.Session.Engine.RotateAsync("edge-2", "test"));

        Assert.False(rotated.Ok);
        Assert.StartsWith("preflight: ", rotated.Error);
        Assert.Contains("the admin token was refused (401)", rotated.Error);
        Assert.Empty(sidecar.Log("created"));
    }

    [Fact]
    public async Task Preflight_HookMissing_NothingBought()
    {
        using var sidecar = FakeSidecar.Create(o => o.Hooks.Destroy = "/nonexistent/destroy.sh");

        var rotated = await sidecar.Drive(sidecar.Session.Engine.RotateAsync("edge-2", "test"));

        Assert.Equal("preflight: hooks.destroy: '/nonexistent/destroy.sh' is not an executable file", rotated.Error);
        Assert.Empty(sidecar.Log("created"));
    }

    [Fact]
    public async Task FailingAfterCreate_SecondFailureDestroysTheNewVps_Journaled()
    {
        using var sidecar = FakeSidecar.Create(o => o.Hooks.Provision = "echo 'ssh: connection refused' >&2; exit 1");
        var engine = sidecar.Session.Engine;

        var first = await sidecar.Drive(engine.RotateAsync("edge-2", "test"));
        Assert.Equal(RotationStep.Provision, first.Value!.Step);
        Assert.Empty(sidecar.Log("destroyed")); // kept for one retry
        var second = await sidecar.Drive(engine.RotateAsync("edge-2", "retry"));

        Assert.False(second.Ok);
        Assert.Equal(["edge-2-r1 192.0.2.50"], sidecar.Log("destroyed")); // what it bought, not the old edge
        Assert.Equal(RotationStep.Create, second.Value!.Step);
        Assert.Equal("edge-2-r2", second.Value.NewName);
        Assert.Contains(second.Value.Events, e => e.What == "destroyed new edge" && e.Detail!.StartsWith("edge-2-r1 destroyed after 2 failures"));
        Assert.Equal(EdgeRole.Retired, sidecar.Session.Inventory.Find("edge-2-r1")!.Role);
        Assert.Equal(EdgeRole.Serving, sidecar.Session.Inventory.Find("edge-2")!.Role);
    }
}
