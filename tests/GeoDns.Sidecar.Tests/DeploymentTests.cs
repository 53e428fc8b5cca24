using GeoDns.Sidecar.Commands;
using GeoDns.Sidecar.Control;
using GeoDns.Sidecar.Daemon;
using GeoDns.Sidecar.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoDns.Sidecar.Tests;

/// <summary>The parts of a first deployment: control tunnels, bootstrap, drift, certificates.</summary>
public sealed class DeploymentTests
{
    [SkippableFact]
    public void Keys_NameserverTunnels_HomeDialsThem_TheirSidePassesWgQuickStrip()
    {
        using var sidecar = FakeSidecar.Create(o =>
        {
            o.Interface = "glhome";
            o.NameserverTunnels = [new NameserverTunnel { Name = "ns1", Endpoint = "198.51.100.1:51820" }, new NameserverTunnel { Name = "ns2", Endpoint = "203.0.113.1:51821" }];
        });

        var output = new StringWriter();
        Assert.Equal(0, KeysCommand.Run(sidecar.Session, output, printKeys: true));

        var files = sidecar.Session.Files;
        Assert.EndsWith("glhome.peers", files.HomePath);
        var home = File.ReadAllText(files.HomePath);
        Assert.Contains("ListenPort = 51820\n", home);
        Assert.Contains("# ns1\n[Peer]\nPublicKey = " + sidecar.Session.NameserverTunnels[0].Keys.PublicKey + "\nEndpoint = 198.51.100.1:51820\nAllowedIPs = 10.77.0.2/32\nPersistentKeepalive = 25", home);
        Assert.Contains("Endpoint = 203.0.113.1:51821\nAllowedIPs = 10.77.0.3/32", home);
        var ns2 = File.ReadAllText(files.NameserverPath("ns2"));
        Assert.Contains("Address = 10.77.0.3/32\nListenPort = 51821\n", ns2);
        Assert.Contains($"PublicKey = {sidecar.Session.HomeKeys.PublicKey}\nAllowedIPs = 10.77.0.1/32", ns2);
        Assert.Contains("ns2       10.77.0.3", output.ToString());
        Assert.DoesNotContain("PrivateKey", output.ToString());
        var wgQuick = Executables.Find("wg-quick");
        Skip.If(wgQuick is null, "wireguard-tools (wg-quick) is not installed");
        foreach (var file in new[] { files.NameserverPath("ns1"), files.NameserverPath("ns2") })
        {
            var result = Tools.Run(wgQuick, "strip", file);
            Assert.True(result.ExitCode == 0 && result.Stderr == "", $"wg-quick strip {file}: {result.Stderr}");
        }
    }

    [Fact]
    public void Options_NameserverTunnelsAndInterface_Validated()
    {
        var options = new SidecarOptions
        {
            Interface = "a-name-far-too-long",
            HomeListenPort = 0,
            NameserverTunnels = [new NameserverTunnel { Name = "ns1", Endpoint = "ns1.example.net" }],
        };
        Assert.Equal(
        [
            "interface: 'a-name-far-too-long' is not a Linux interface name (1-15 letters, digits, _=+.-)",
            "homeListenPort: 0 is not a port (1-65535)",
            "nameserverTunnels: ns1: endpoint 'ns1.example.net' is not ADDRESS:PORT",
        ], options.Problems());
        // An edge without an address is one bootstrap buys; without a name it is still an error.
        options = new SidecarOptions { Edges = [new EdgeHost { Name = "edge-fra", Country = "DE" }, new EdgeHost { Country = "SG" }] };
        Assert.Equal(["edges: edge name '' is not 1-63 letters, digits, '-', '_' or '.', starting with a letter or digit"], options.Problems());
        // Names are directories at home: "." and ".." would write beside them.
        options = new SidecarOptions { Edges = [new EdgeHost { Name = "..", Country = "DE" }], NameserverTunnels = [new NameserverTunnel { Name = ".", Endpoint = "192.0.2.53:51820" }] };
        Assert.Contains("nameserverTunnels: name '.' is not letters, digits, '-', '_' or '.', starting with a letter or digit", options.Problems());
        Assert.Contains("edges: edge name '..' is not 1-63 letters, digits, '-', '_' or '.', starting with a letter or digit", options.Problems());
    }

    [Fact]
    public async Task Reconcile_ServingEdgeMissingOnANameserver_AddedBackThere()
    {
        using var sidecar = FakeSidecar.Create();
        sidecar.Session.Inventory.Save(new KnownEdge(new EdgeHost { Name = "edge-3", Ipv4 = "192.0.2.3", Country = "US" }, EdgeRole.Serving, null, null, sidecar.Time.GetUtcNow()));
        sidecar.Session.Inventory.Save(new KnownEdge(new EdgeHost { Name = "edge-4", Country = "US" }, EdgeRole.Serving, null, null, sidecar.Time.GetUtcNow()));

        var added = await new PoolReconciler(sidecar.Session, NullLogger.Instance).ReconcileAsync(CancellationToken.None);

        Assert.Equal(2, added); // edge-3 on each; edge-4 has no VPS yet
        Assert.True(sidecar.Ns1.Has("edge-3") && sidecar.Ns2.Has("edge-3"));
        Assert.False(sidecar.Ns1.Has("edge-4"));
        Assert.Equal(0, await new PoolReconciler(sidecar.Session, NullLogger.Instance).ReconcileAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Certificates_InstalledOnEveryLiveEdge_AgainOnlyWhenTheFileChanges_EvenAcrossRestarts()
    {
        using var sidecar = FakeSidecar.Create();
        var certificates = sidecar.Scratch["cert"];
        Directory.CreateDirectory(certificates);
        await File.WriteAllTextAsync(Path.Combine(certificates, "fullchain.pem"), "one");
        sidecar.Options.Nginx.CertificateDir = certificates;
        sidecar.Options.Hooks.Certificate = $"echo \"$EDGE_NAME $EDGE_IPV4 $EDGE_CERT_DIR\" >> '{sidecar.Scratch["installed"]}'";
        sidecar.Restart();
        sidecar.Session.Inventory.Change("edge-1", EdgeRole.Retired);
        var distribution = new CertificateDistribution(sidecar.Session);

        Assert.True(distribution.Changed());
        var results = await distribution.PushAsync(CancellationToken.None);

        Assert.All(results, r => Assert.True(r.Outcome.Ok, r.Outcome.Error));
        Assert.Equal([$"edge-2 192.0.2.2 {certificates}"], sidecar.Log("installed")); // not the retired edge
        Assert.False(distribution.Changed());
        sidecar.Restart(); // the daemon restarts: what was pushed is in the state file, not pushed again
        Assert.False(new CertificateDistribution(sidecar.Session).Changed());
        await File.WriteAllTextAsync(Path.Combine(certificates, "fullchain.pem"), "renewed");
        Assert.True(new CertificateDistribution(sidecar.Session).Changed());
    }

    [Fact]
    public async Task Bootstrap_TlsWithoutCertificateYet_ProvisionsAndAdds_SaysWhatIsNext()
    {
        using var sidecar = FakeSidecar.Create(o =>
        {
            o.Nginx.CertificateDir = "/nonexistent/certificate";
            o.Edges.Add(new EdgeHost { Name = "edge-3", Country = "US" });
        });
        var output = new StringWriter();

        var code = await BootstrapCommand.RunAsync(sidecar.Session, output, CancellationToken.None);

        Assert.True(code == 0, output.ToString());
        Assert.Equal(["edge-3"], sidecar.Log("created")); // only the edge without an address is bought
        Assert.Equal("192.0.2.50", sidecar.Session.Inventory.Find("edge-3")!.Host.Ipv4);
        Assert.True(sidecar.Ns1.Has("edge-3") && sidecar.Ns2.Has("edge-3"));
        Assert.Contains("no certificate in /nonexistent/certificate yet", output.ToString());
        Assert.Contains("--deploy-hook /etc/letsencrypt/renewal-hooks/deploy/geodns-sidecar (deploy/home/certbot-deploy-hook)", output.ToString());
    }
}
