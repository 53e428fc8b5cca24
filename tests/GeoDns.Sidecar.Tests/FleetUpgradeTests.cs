using System.Diagnostics;
using GeoDns.Sidecar.Commands;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// <c>upgrade</c> on a bootstrapped <see cref="LoopbackFleet"/>: the nameservers get the new package one at a time while
/// a client asking both (as a resolver tries the other) loses no lookup; a package whose server does not come back on
/// its version, or that exits as it starts, is rolled back on the first nameserver, and the second is never touched; an
/// upgrade cut short is rolled back by the next one.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the hooks are bash
public sealed class FleetUpgradeTests
{
    [SkippableFact]
    public async Task Upgrade_OneAtATime_NoLookupLost_AndABuildThatDoesNotComeBackIsRolledBack()
    {
        Skip.If(LoopbackFleet.Missing is not null, LoopbackFleet.Missing);
        using var fleet = await LoopbackFleet.CreateAsync();
        var (bootstrapped, output) = await fleet.RunAsync((session, o) => BootstrapCommand.RunAsync(session, o, CancellationToken.None));
        Assert.True(bootstrapped == 0, output);
        string[] Provisioned() => fleet.Provider.Log("provisioned-nameservers.log");

        // A build that reports another version than its package says never comes back "on" it: rolled back, ns2 untouched.
        var broken = await LoopbackFleet.BuildPackageAsync(fleet.Scratch["debs-broken"], "0.0.1~broken");
        var (failed, said) = await fleet.RunAsync((session, o) => UpgradeCommand.RunAsync(session, broken, edges: false, o, o, json: false, CancellationToken.None));
        Assert.True(failed == 1, said);
        Assert.True(said.Contains("ns1 did not come back on 0.0.1~broken"), said);
        Assert.True(said.Contains("rolled back to " + Path.GetFileName(fleet.Package) + ", and it answers again"), said);
        Assert.Equal(["ns1 " + Path.GetFileName(broken), "ns1 " + Path.GetFileName(fleet.Package)], Provisioned()[2..]);
        Assert.Contains(fleet.Edge1, await fleet.DigAsync(fleet.Ns1, "app.edge.example.com", "A"));

        // A build that exits as it starts fails the hook, so the state still records the old package: the rollback must
        // install it all the same.
        var crashing = await LoopbackFleet.CrashingPackageAsync(fleet.Scratch["debs-crashing"], "0.0.2~crash");
        var (crashed, told) = await fleet.RunAsync((session, o) => UpgradeCommand.RunAsync(session, crashing, edges: false, o, o, json: false, CancellationToken.None));
        Assert.True(crashed == 1, told);
        Assert.True(told.Contains("ns1 did not come back on 0.0.2~crash"), told);
        Assert.True(told.Contains("the server exited as it started"), told);
        Assert.True(told.Contains("rolled back to " + Path.GetFileName(fleet.Package) + ", and it answers again"), told);
        Assert.Equal(["ns1 " + Path.GetFileName(fleet.Package)], Provisioned()[4..]); // the crashing build never counted as installed
        Assert.Contains(fleet.Edge1, await fleet.DigAsync(fleet.Ns1, "app.edge.example.com", "A"));

        // A sidecar killed after the state recorded a new package on ns1 but before it came back: the journal, not that
        // record, says what to roll back to, and the next upgrade does that first.
        await fleet.RunAsync((session, _) =>
        {
            var had = session.FleetState.LastProvisioned("ns1")!;
            var to = GeoDns.Sidecar.Fleet.NameserverPackages.Keep(session.Options.Data, broken);
            session.FleetState.SaveUpgrading("ns1", new GeoDns.Sidecar.Fleet.NameserverUpgrade(had.Package, to, DateTimeOffset.UtcNow));
            session.FleetState.SaveProvisioned("ns1", had with { Package = to });
            return Task.FromResult(0);
        });

        // The same build packed again (another file): every step of an upgrade, with a client asking throughout.
        var next = await LoopbackFleet.BuildPackageAsync(fleet.Scratch["debs-next"]);
        using var stop = new CancellationTokenSource();
        var client = AskBothAsync(fleet, stop.Token);
        var (code, upgraded) = await fleet.RunAsync((session, o) => UpgradeCommand.RunAsync(session, next, edges: true, o, o, json: false, CancellationToken.None));
        await stop.CancelAsync();
        var (asked, lost) = await client;

        Assert.True(code == 0, upgraded);
        Assert.True(upgraded.Contains("upgraded:    ns1, ns2"), upgraded);
        Assert.Contains($"ns1: its upgrade to {Path.GetFileName(broken)} did not finish; rolling back to {Path.GetFileName(fleet.Package)} first", upgraded);
        Assert.True(upgraded.Contains("edges provisioned again: edge-1"), upgraded);
        Assert.Equal(["ns1 " + Path.GetFileName(fleet.Package), "ns1 " + Path.GetFileName(next), "ns2 " + Path.GetFileName(next)], Provisioned()[5..]);
        Assert.True(asked > 20, $"only {asked} lookups were made");
        Assert.Equal(0, lost);
        // Run again: nothing to do.
        var (again, second) = await fleet.RunAsync((session, o) => UpgradeCommand.RunAsync(session, next, edges: false, o, o, json: false, CancellationToken.None));
        Assert.True(again == 0, second);
        Assert.True(second.Contains("already on it: ns1, ns2"), second);
        Assert.Equal(8, Provisioned().Length);
    }

    /// <summary>Asks ns1, and ns2 when ns1 gives no answer, as a resolver does, until stopped (at most 5 minutes): lookups made and lost.</summary>
    private static Task<(int Asked, int Lost)> AskBothAsync(LoopbackFleet fleet, CancellationToken stop) => Task.Run(async () =>
    {
        var (asked, lost) = (0, 0);
        var clock = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested && clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            asked++;
            var answered = false;
            foreach (var ns in new[] { fleet.Ns1, fleet.Ns2 })
                if ((await fleet.DigAsync(ns, "app.edge.example.com", "A")).Contains("status: NOERROR", StringComparison.Ordinal)) { answered = true; break; }
            if (!answered) lost++;
            await Task.Delay(100, CancellationToken.None);
        }
        return (asked, lost);
    });
}
