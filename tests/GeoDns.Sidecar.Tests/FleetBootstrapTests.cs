using System.Net;
using System.Runtime.InteropServices;
using GeoDns.Sidecar.Commands;
using GeoDns.Sidecar.Tests.Delegation;
using GeoDns.Sidecar.WireGuard;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// <c>bootstrap</c> from a sidecar.json that lists the nameservers by country: it buys both (the local create
/// hook), installs the real geodns .deb on each with its files (the local provisionNameserver hook unpacks the
/// package and runs the server it holds on loopback), waits until each answers ready on the package's version,
/// has a real Knot parent delegate the zone (the RFC 2136 delegate hook), and then buys and adds the edges. A run
/// again buys nothing, installs nothing and changes nothing at the parent.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the hooks are bash
public sealed class FleetBootstrapTests : IDisposable
{
    private const string Secret = "2Ln8Ywx9r1Ua0ZpVJg2a1oJXl6mZrBz6c2n7lq3m1wQ=";
    private const string Token = "fleet-bootstrap-admin-token";
    private readonly Scratch _scratch = new();
    private readonly LocalProvider _provider;

    public FleetBootstrapTests() => _provider = new LocalProvider(_scratch);

    [SkippableFact]
    public async Task Bootstrap_BuysInstallsAndDelegatesTheNameservers_ThenTheEdges_AndARunAgainDoesNothing()
    {
        Skip.If(new[] { "knotd", "nsupdate", "dig", "dpkg-deb" }.Any(t => Executables.Find(t) is null), "needs knotd, nsupdate, dig and dpkg-deb (apt-get install knot bind9-dnsutils dpkg)");
        File.WriteAllText(_scratch["parent.key"], $"key \"parent\" {{\n\talgorithm hmac-sha256;\n\tsecret \"{Secret}\";\n}};\n");
        using var parent = new KnotParent(_scratch["knot"], "example.com", """
            $ORIGIN example.com.
            $TTL 300
            @    IN SOA ns.example.com. hostmaster 1 3600 600 1209600 60
                 IN NS  ns
            ns   IN A   127.0.0.1
            """, "parent", Secret);
        await parent.ReadyAsync();
        var package = await PackageAsync();
        var tunnel = $"127.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(1, 250)}.";
        var dnsPort = NginxProcess.FreePort(IPAddress.Parse(_provider.Prefix + "100"));
        var adminPort = NginxProcess.FreePort(IPAddress.Parse(tunnel + "2"));
        File.WriteAllText(_scratch["admin.token"], Token);
        File.WriteAllText(_scratch["sidecar.json"], $$"""
            {
              "pool": "app.edge.example.com",
              "adminTokenFile": "{{_scratch["admin.token"]}}",
              "tunnelNetwork": "{{tunnel}}0/24",
              "apply": "",
              "firewallCheck": "",
              "wireguardDir": "{{_scratch["wireguard"]}}",
              "data": "{{_scratch["data"]}}",
              "hooks": {
                "create": "{{LocalProvider.Hook("create")}}",
                "provision": "{{LocalProvider.Hook("provision")}}",
                "destroy": "{{LocalProvider.Hook("destroy")}}",
                "provisionNameserver": "{{LocalProvider.Hook("provision-nameserver")}}",
                "delegate": "{{Repository.File("deploy/hooks/rfc2136/delegate.sh")}}",
                "timeout": "1m",
                "environment": { {{string.Join(", ", _provider.Environment.Select(kv => $"\"{kv.Key}\": \"{kv.Value}\""))}},
                                 "RFC2136_SERVER": "127.0.0.1:{{parent.Port}}", "RFC2136_KEY_FILE": "{{_scratch["parent.key"]}}" }
              },
              "rotation": { "pollInterval": "200ms", "upTimeout": "30s", "retries": 1, "retryDelay": "100ms" },
              "check": { "parents": [ "127.0.0.1:{{parent.Port}}" ] },
              "fleet": {
                "zone": "edge.example.com",
                "package": "{{package}}",
                "dnsPort": {{dnsPort}},
                "adminPort": {{adminPort}},
                "readyTimeout": "1m",
                "delegationTimeout": "30s",
                "nameservers": [ { "name": "ns1", "country": "DE" }, { "name": "ns2", "country": "SG" } ],
                "pool": { "ttl": 5, "probe": { "type": "tcp", "port": {{_provider.Port}}, "interval": "1s", "timeout": "500ms" } }
              },
              "edges": [ { "name": "edge-1", "country": "DE" } ]
            }
            """);

        var (code, output) = await BootstrapAsync();

        Assert.True(code == 0, output);
        var (ns1, ns2) = (_provider.Prefix + "100", _provider.Prefix + "101");
        Assert.Equal([$"ns1 {ns1}", $"ns2 {ns2}", $"edge-1 {_provider.Prefix}102"], _provider.Log("created.log"));
        Assert.Equal(2, _provider.Log("provisioned-nameservers.log").Length);
        Assert.Contains($"nameservers bought:      ns1 ({ns1}), ns2 ({ns2})", output);
        Assert.Contains("delegation:  made by the delegate hook", output);
        Assert.Contains("bootstrap: 1 edges Up on 2 nameservers", output);
        // Both answer the zone, ns2 by transfer from ns1 (it got no zone file), and the pool with the edge bootstrap bought.
        foreach (var ns in new[] { ns1, ns2 })
        {
            var answer = await DigAsync(ns, dnsPort, "app.edge.example.com", "A");
            Assert.Contains($"{_provider.Prefix}102", answer);
            Assert.Contains("flags: qr aa", answer);
        }
        Assert.False(File.Exists(Path.Combine(_provider.State, "ns2/work/zones/edge.example.com.zone")));
        // The parent refers the zone to them, with glue.
        var referral = await parent.AskAsync("www.edge.example.com", "A");
        Assert.Matches($@"ns1\.edge\.example\.com\.\s+3600\s+IN\s+A\s+{Escaped(ns1)}", referral);
        Assert.Matches($@"ns2\.edge\.example\.com\.\s+3600\s+IN\s+A\s+{Escaped(ns2)}", referral);

        // A run again: nothing bought, nothing installed again (no restart), the parent left as it is.
        var (again, second) = await BootstrapAsync();
        Assert.True(again == 0, second);
        Assert.Equal(3, _provider.Log("created.log").Length);
        Assert.Equal(2, _provider.Log("provisioned-nameservers.log").Length);
        Assert.Contains("ns1: provisioned already", second);
    }

    private async Task<(int Code, string Output)> BootstrapAsync()
    {
        var options = SidecarOptions.Load(_scratch["sidecar.json"], out var error);
        Assert.True(options is not null, error);
        var opened = SidecarSession.Open(options, TimeProvider.System, NullLoggerFactory.Instance);
        Assert.True(opened.Ok, opened.Error);
        using var session = opened.Value!;
        session.GenerateKeys = KeyPair.GenerateWithNSec;
        var output = new StringWriter();
        var code = await BootstrapCommand.RunAsync(session, output, CancellationToken.None);
        return (code, output.ToString());
    }

    /// <summary>The geodns .deb of this checkout, as build-deb.sh packs the shared publish: named for the version the server reports.</summary>
    private async Task<string> PackageAsync()
    {
        var (rid, arch) = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? ("linux-arm64", "arm64") : ("linux-x64", "amd64");
        var published = Path.Combine(await PublishedPrograms.DirectoryAsync(), rid);
        var built = await Script.RunAsync(Repository.File("deploy/package/build-deb.sh"), ["--rid", rid, "--published", published, _scratch["debs"]], TimeSpan.FromMinutes(3));
        Assert.True(built.ExitCode == 0, built.Describe());
        return Directory.GetFiles(_scratch["debs"], $"geodns_*_{arch}.deb").Single();
    }

    private static async Task<string> DigAsync(string server, int port, string name, string type)
    {
        var dig = await Script.RunAsync("dig", [$"@{server}", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "+norec", "+time=2", "+tries=1", name, type], TimeSpan.FromSeconds(10));
        return dig.Stdout;
    }

    private static string Escaped(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    public void Dispose()
    {
        // Stops both servers and the edge's listener, by the pids the hooks wrote.
        foreach (var name in new[] { "ns1", "ns2", "edge-1" })
            _ = Script.RunAsync(LocalProvider.Hook("destroy"), [], TimeSpan.FromSeconds(15), environment: new Dictionary<string, string>(_provider.Environment) { ["EDGE_NAME"] = name }).Result;
        _provider.Dispose();
        _scratch.Dispose();
    }
}
