using System.Text.Json;
using GeoDns.Sidecar.Commands;
using GeoDns.Sidecar.Daemon;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// <c>status --json</c> as a script reads it: one document, nothing else on stdout, the same camelCase names whether
/// the command opened the state itself or asked the running daemon.
/// </summary>
public sealed class StatusJsonTests
{
    [Fact]
    public async Task StatusJson_FailedRotation_EdgesAndRotationWithReasonAndEvents()
    {
        using var sidecar = FakeSidecar.Create(o => o.Hooks.Create = "echo 'quota exceeded for server type cx22' >&2; exit 1");
        await sidecar.Drive(sidecar.Session.Engine.RotateAsync("edge-2", "test"));
        var output = new StringWriter();

        var code = StatusCommand.Run(sidecar.Session, output, new Firewall.FirewallState(true, true, "table inet geodns-home"), json: true);

        Assert.Equal(1, code); // as the text: a failed rotation is exit 1
        using var document = JsonDocument.Parse(output.ToString());
        var root = document.RootElement;
        Assert.Equal(["firewall", "edges", "rotations", "nameserverRotations"], root.EnumerateObject().Select(p => p.Name));
        Assert.True(root.GetProperty("firewall").GetProperty("loaded").GetBoolean());
        var edge = root.GetProperty("edges").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "edge-2");
        Assert.Equal(["name", "role", "ipv4", "ipv6", "tunnel", "since"], edge.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("Serving", "192.0.2.2", "2026-03-01T12:00:00+00:00"),
            (edge.GetProperty("role").GetString(), edge.GetProperty("ipv4").GetString(), edge.GetProperty("since").GetString()));
        var rotation = root.GetProperty("rotations").EnumerateArray().Single();
        Assert.Equal(("edge-2", "edge-2-r1", "Failed", "Create"),
            (rotation.GetProperty("oldEdge").GetString(), rotation.GetProperty("newEdge").GetString(), rotation.GetProperty("status").GetString(), rotation.GetProperty("step").GetString()));
        Assert.Equal("create hook failed: exit 1: quota exceeded for server type cx22", rotation.GetProperty("reason").GetString());
        var first = rotation.GetProperty("events").EnumerateArray().First();
        Assert.Equal(("Create", "begun"), (first.GetProperty("step").GetString(), first.GetProperty("what").GetString()));
    }

    [Fact]
    public void StatusJson_FailedNameserverRotation_ListedWithItsReason_AndExit1()
    {
        using var sidecar = FakeSidecar.Create();
        var journal = new Fleet.NameserverRotationJournal(sidecar.Session.State, sidecar.Time);
        var rotation = journal.Begin("ns1", new EdgeHost { Name = "ns1", Ipv4 = "192.0.2.53" }, "ns1-r1");
        journal.Record(rotation with { Status = Rotation.RotationStatus.Failed, Error = "create hook failed: exit 1: quota exceeded" }, "failed");
        var output = new StringWriter();

        var code = StatusCommand.Run(sidecar.Session, output, firewall: null, json: true);

        Assert.Equal(1, code); // as the text: a failed nameserver rotation is exit 1 too
        using var document = JsonDocument.Parse(output.ToString());
        var moved = document.RootElement.GetProperty("nameserverRotations").EnumerateArray().Single();
        Assert.Equal(("ns1", "ns1-r1", "Failed", "Create", "create hook failed: exit 1: quota exceeded"),
            (moved.GetProperty("nameserver").GetString(), moved.GetProperty("newName").GetString(), moved.GetProperty("status").GetString(),
             moved.GetProperty("step").GetString(), moved.GetProperty("reason").GetString()));
        Assert.Equal("192.0.2.53", moved.GetProperty("oldHost").GetProperty("ipv4").GetString());
    }

    [Fact]
    public async Task StatusJson_ThroughTheRunningDaemon_SameDocument_NoteOnStderr()
    {
        using var sidecar = FakeSidecar.Create();
        using var stop = new CancellationTokenSource();
        var daemon = new SidecarDaemon(sidecar.Session, NullLoggerFactory.Instance);
        var running = daemon.RunAsync(stop.Token);
        sidecar.Options.Listen = new Uri(await daemon.Address.WaitAsync(TimeSpan.FromSeconds(10))).Authority;
        var direct = new StringWriter();
        StatusCommand.Run(sidecar.Session, direct, firewall: null, json: true);
        var (output, notes) = (new StringWriter(), new StringWriter());

        var code = await DaemonClient.ForwardAsync(sidecar.Options, ["status"], output, notes, firewall: null, json: true, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.Equal(direct.ToString(), output.ToString());
        Assert.Contains("asked the running daemon", notes.ToString());
        stop.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
