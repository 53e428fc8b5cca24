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

    [SkippableFact]
    public async Task Bootstrap_WithoutADelegateHook_PrintsTheRecords_AndWaitsUntilTheParentServesThem()
    {
        Skip.If(LoopbackFleet.Missing is not null, LoopbackFleet.Missing);
        using var fleet = await LoopbackFleet.CreateAsync();
        File.WriteAllText(fleet.Config, string.Join('\n', File.ReadAllLines(fleet.Config).Where(l => !l.Contains("\"delegate\":", StringComparison.Ordinal))));
        var inner = new StringWriter();
        var output = TextWriter.Synchronized(inner);
        string Said()
        {
            lock (output) return inner.ToString();
        }

        var bootstrap = fleet.RunAsync((session, _) => BootstrapCommand.RunAsync(session, output, CancellationToken.None));
        for (var i = 0; i < 600 && !Said().Contains("waiting until it serves the delegation", StringComparison.Ordinal); i++) await Task.Delay(100);
        Assert.Contains("parent: no delegate hook: add these records in the zone example.com at its DNS host (DNS only, not proxied), TTL 3600:", Said());
        Assert.Matches($@"ns1\.edge\s+A\s+{Escaped(fleet.Ns1)}", Said());
        Assert.Matches(@"edge\s+NS\s+ns2\.edge\.example\.com", Said());
        Assert.False(bootstrap.IsCompleted);
        // The person adds them at the parent (here through its RFC 2136 interface, as a DNS host's form would).
        var added = await Script.RunAsync(Repository.File("deploy/hooks/rfc2136/delegate.sh"), [], TimeSpan.FromSeconds(30), environment: new Dictionary<string, string>
        {
            ["DELEGATE_ZONE"] = "edge.example.com",
            ["DELEGATE_PARENT"] = "example.com",
            ["DELEGATE_NAMESERVERS"] = $"ns1.edge.example.com {fleet.Ns1} -\nns2.edge.example.com {fleet.Ns2} -",
            ["RFC2136_SERVER"] = $"127.0.0.1:{fleet.Parent.Port}",
            ["RFC2136_KEY_FILE"] = fleet.Scratch["parent.key"],
        });
        Assert.True(added.ExitCode == 0, added.Describe());

        var (code, _) = await bootstrap;
        Assert.True(code == 0, Said());
        Assert.Contains("delegation:  added by hand", Said());
        Assert.Contains("bootstrap: 1 edges Up on 2 nameservers", Said());
    }

    private static string Escaped(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
