using GeoDns.Sidecar.Commands;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// <c>bootstrap</c> from a sidecar.json that lists the nameservers by country (<see cref="LoopbackFleet"/>): it buys
/// both (the local create hook), installs the real geodns .deb on each with its files (the local provisionNameserver
/// hook unpacks the package and runs the server it holds on loopback), waits until each answers ready on the package's
/// version, has a real Knot parent delegate the zone (the RFC 2136 delegate hook), and then buys and adds the edges. A
/// run again buys nothing, installs nothing and changes nothing at the parent.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the hooks are bash
public sealed class FleetBootstrapTests
{
    [SkippableFact]
    public async Task Bootstrap_BuysInstallsAndDelegatesTheNameservers_ThenTheEdges_AndARunAgainDoesNothing()
    {
        Skip.If(LoopbackFleet.Missing is not null, LoopbackFleet.Missing);
        using var fleet = await LoopbackFleet.CreateAsync();

        var (code, output) = await fleet.RunAsync((session, output) => BootstrapCommand.RunAsync(session, output, CancellationToken.None));

        Assert.True(code == 0, output);
        var (ns1, ns2) = (fleet.Ns1, fleet.Ns2);
        Assert.Equal([$"ns1 {ns1}", $"ns2 {ns2}", $"edge-1 {fleet.Edge1}"], fleet.Provider.Log("created.log"));
        Assert.Equal(2, fleet.Provider.Log("provisioned-nameservers.log").Length);
        Assert.Contains($"nameservers bought:      ns1 ({ns1}), ns2 ({ns2})", output);
        Assert.Contains("delegation:  made by the delegate hook", output);
        Assert.Contains("bootstrap: 1 edges Up on 2 nameservers", output);
        // Both answer the zone, ns2 by transfer from ns1 (it got no zone file), and the pool with the edge bootstrap bought.
        foreach (var ns in new[] { ns1, ns2 })
        {
            var answer = await fleet.DigAsync(ns, "app.edge.example.com", "A");
            Assert.Contains(fleet.Edge1, answer);
            Assert.Contains("flags: qr aa", answer);
        }
        Assert.False(File.Exists(Path.Combine(fleet.Provider.State, "ns2/work/zones/edge.example.com.zone")));
        // The parent refers the zone to them, with glue.
        var referral = await fleet.Parent.AskAsync("www.edge.example.com", "A");
        Assert.Matches($@"ns1\.edge\.example\.com\.\s+3600\s+IN\s+A\s+{Escaped(ns1)}", referral);
        Assert.Matches($@"ns2\.edge\.example\.com\.\s+3600\s+IN\s+A\s+{Escaped(ns2)}", referral);

        // A run again: nothing bought, nothing installed again (no restart), the parent left as it is.
        var (again, second) = await fleet.RunAsync((session, output) => BootstrapCommand.RunAsync(session, output, CancellationToken.None));
        Assert.True(again == 0, second);
        Assert.Equal(3, fleet.Provider.Log("created.log").Length);
        Assert.Equal(2, fleet.Provider.Log("provisioned-nameservers.log").Length);
        Assert.Contains("ns1: provisioned already", second);
    }

    private static string Escaped(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
