using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using GeoDns.Sidecar.Cli;
using GeoDns.Sidecar.Commands;
using GeoDns.Sidecar.Fleet;
using GeoDns.Sidecar.Rotation;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// <c>rotate NAMESERVER</c> on a bootstrapped <see cref="LoopbackFleet"/>, through the command line: the nameserver's
/// VPS is replaced by a fresh one (the local create hook's next address) under the same name; the other nameserver
/// follows (the primary's zone by transfer, or its allowFrom and NOTIFY), the real Knot parent serves the new glue,
/// the new one answers the pool, and the old one is destroyed. A delegate hook that fails stops the rotation at that
/// step, journaled; the same command again resumes it there and buys nothing.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the hooks are bash
public sealed class NameserverRotationTests
{
    [SkippableFact]
    public async Task RotatePrimary_NewVpsUnderTheSameName_TheFollowerAndTheParentFollow_TheOldOneIsDestroyed()
    {
        Skip.If(LoopbackFleet.Missing is not null, LoopbackFleet.Missing);
        using var fleet = await LoopbackFleet.CreateAsync();
        Configure(fleet, config => config["fleet"]!["retireAfter"] = "1s");
        await BootstrapAsync(fleet);
        var fresh = fleet.Provider.Prefix + "103";

        var (code, output) = await CliAsync(fleet, "rotate", "ns1");

        Assert.True(code == 0, output);
        Assert.Contains($"rotate: ns1 is ns1-r1 at {fresh}; the parent's glue says so, and the old VPS ns1 ({fleet.Ns1}) is destroyed", output);
        Assert.Equal([$"ns1 {fleet.Ns1}", $"ns2 {fleet.Ns2}", $"edge-1 {fleet.Edge1}", $"ns1-r1 {fresh}"], fleet.Provider.Log("created.log"));
        Assert.Equal([$"ns1 {fleet.Ns1}"], fleet.Provider.Log("destroyed.log"));
        // ns2 installed again (its primary moved) before the new primary, which NOTIFYs it when it starts.
        Assert.Equal(["ns2", "ns1-r1"], fleet.Provider.Log("provisioned-nameservers.log")[2..].Select(l => l.Split(' ')[0]));
        var referral = await fleet.Parent.AskAsync("www.edge.example.com", "A");
        Assert.Matches($@"ns1\.edge\.example\.com\.\s+3600\s+IN\s+A\s+{Escaped(fresh)}", referral);
        Assert.DoesNotContain(fleet.Ns1 + "\n", referral);
        Assert.Matches($@"ns2\.edge\.example\.com\.\s+3600\s+IN\s+A\s+{Escaped(fleet.Ns2)}", referral);
        // ns2 holds no zone file: the new address reached it by transfer from the new primary.
        Assert.False(File.Exists(Path.Combine(fleet.Provider.State, "ns2/work/zones/edge.example.com.zone")));
        var atNs2 = await fleet.DigAsync(fleet.Ns2, "ns1.edge.example.com", "A");
        Assert.Matches($@"ns1\.edge\.example\.com\.\s+300\s+IN\s+A\s+{Escaped(fresh)}", atNs2);
        Assert.Contains("flags: qr aa", atNs2);
        var pool = await fleet.DigAsync(fresh, "app.edge.example.com", "A");
        Assert.Contains(fleet.Edge1, pool);
        Assert.Contains("flags: qr aa", pool);
        Assert.False(Listens(fleet.Ns1, fleet.DnsPort), $"the old ns1 still listens on {fleet.Ns1}:{fleet.DnsPort}");
        var rotation = await JournalAsync(fleet);
        Assert.Equal((RotationStatus.Completed, NameserverRotationStep.Done, "ns1-r1"), (rotation.Status, rotation.Step, rotation.NewHost?.Name));
        // A run of bootstrap afterwards finds the rotated nameserver where the state says: nothing bought or installed.
        var (again, second) = await fleet.RunAsync((session, o) => BootstrapCommand.RunAsync(session, o, CancellationToken.None));
        Assert.True(again == 0, second);
        Assert.Equal(4, fleet.Provider.Log("created.log").Length);
        Assert.Equal(4, fleet.Provider.Log("provisioned-nameservers.log").Length);
    }

    [SkippableFact]
    public async Task RotateFollower_DelegateHookFails_StopsJournaledAtDelegate_ARunAgainResumesThereWithoutBuyingAgain()
    {
        Skip.If(LoopbackFleet.Missing is not null, LoopbackFleet.Missing);
        using var fleet = await LoopbackFleet.CreateAsync();
        // The parent is unreachable while the marker file exists.
        var marker = fleet.Scratch["parent-down"];
        var hook = fleet.Scratch["delegate.sh"];
        File.WriteAllText(hook, $"#!/usr/bin/env bash\nif [ -e '{marker}' ]; then echo 'the parent does not answer (test)' >&2; exit 1; fi\nexec '{Repository.File("deploy/hooks/rfc2136/delegate.sh")}'\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Configure(fleet, config =>
        {
            config["hooks"]!["delegate"] = hook;
            config["fleet"]!["retireAfter"] = "1s";
        });
        await BootstrapAsync(fleet);
        var fresh = fleet.Provider.Prefix + "103";
        File.WriteAllText(marker, "");

        var (failed, said) = await CliAsync(fleet, "rotate", "ns2");

        Assert.True(failed == 1, said);
        Assert.Contains("rotate ns2 failed at Delegate: delegation at example.com: delegate hook failed", said);
        Assert.Contains("`geodns-sidecar rotate ns2` resumes from Delegate with ns2-r1 (no other VPS is bought)", said);
        var stopped = await JournalAsync(fleet);
        Assert.Equal((RotationStatus.Failed, NameserverRotationStep.Delegate, fresh), (stopped.Status, stopped.Step, stopped.NewHost?.Ipv4));
        Assert.Equal("failed", stopped.Events[^1].What);
        var (status, listed) = await CliAsync(fleet, "status");
        Assert.True(status == 1, listed);
        Assert.Contains("`rotate ns2` resumes from Delegate", listed);
        // Meanwhile the primary names the new ns2 already, and it serves the zone by transfer; the parent still has the old glue.
        Assert.Contains(fresh, await fleet.DigAsync(fleet.Ns1, "ns2.edge.example.com", "A"));
        Assert.Contains(fleet.Ns2, await fleet.Parent.AskAsync("www.edge.example.com", "A"));

        File.Delete(marker);
        var (code, output) = await CliAsync(fleet, "rotate", "ns2");

        Assert.True(code == 0, output);
        Assert.Contains("resuming rotation #1 at Delegate (ns2 -> ns2-r1)", output);
        Assert.Equal([$"ns1 {fleet.Ns1}", $"ns2 {fleet.Ns2}", $"edge-1 {fleet.Edge1}", $"ns2-r1 {fresh}"], fleet.Provider.Log("created.log"));
        Assert.Equal([$"ns2 {fleet.Ns2}"], fleet.Provider.Log("destroyed.log"));
        // The primary first (allowFrom and NOTIFY for the new follower), then the new follower.
        Assert.Equal(["ns1", "ns2-r1"], fleet.Provider.Log("provisioned-nameservers.log")[2..].Select(l => l.Split(' ')[0]));
        Assert.Matches($@"ns2\.edge\.example\.com\.\s+3600\s+IN\s+A\s+{Escaped(fresh)}", await fleet.Parent.AskAsync("www.edge.example.com", "A"));
        var pool = await fleet.DigAsync(fresh, "app.edge.example.com", "A");
        Assert.Contains(fleet.Edge1, pool);
        Assert.Contains("flags: qr aa", pool);
        Assert.False(Listens(fleet.Ns2, fleet.DnsPort), $"the old ns2 still listens on {fleet.Ns2}:{fleet.DnsPort}");
        Assert.Equal(RotationStatus.Completed, (await JournalAsync(fleet)).Status);
    }

    private static async Task BootstrapAsync(LoopbackFleet fleet)
    {
        var (code, output) = await fleet.RunAsync((session, o) => BootstrapCommand.RunAsync(session, o, CancellationToken.None));
        Assert.True(code == 0, output);
    }

    /// <summary>Runs the sidecar's command line on the fleet's config, as a user types it: exit code, stdout and stderr.</summary>
    private static async Task<(int Code, string Output)> CliAsync(LoopbackFleet fleet, params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = await new SidecarCommandLine().InvokeAsync(["--config", fleet.Config, .. args], output, error, CancellationToken.None);
        return (code, output + error.ToString());
    }

    private static async Task<NameserverRotation> JournalAsync(LoopbackFleet fleet)
    {
        NameserverRotation? newest = null;
        await fleet.RunAsync((session, _) =>
        {
            var all = new NameserverRotationJournal(session.State, session.Time).All();
            newest = all.Count > 0 ? all[0] : null;
            return Task.FromResult(0);
        });
        return newest ?? throw new InvalidOperationException("no nameserver rotation in the journal");
    }

    /// <summary>Edits the fleet's sidecar.json.</summary>
    private static void Configure(LoopbackFleet fleet, Action<JsonObject> edit)
    {
        var config = JsonNode.Parse(File.ReadAllText(fleet.Config))!.AsObject();
        edit(config);
        File.WriteAllText(fleet.Config, config.ToJsonString());
    }

    private static bool Listens(string address, int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Parse(address), port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string Escaped(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
