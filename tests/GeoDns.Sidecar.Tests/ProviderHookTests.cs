namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The example provider hooks (deploy/hooks/hetzner, digitalocean) against fake provider CLIs and a
/// fake ssh that checks host keys as OpenSSH does: the key is pinned at the first provision, every
/// connection checks it strictly, public SSH closes at the end of provision, later calls go through
/// the tunnel, and destroy forgets the key.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the hooks are bash, the known_hosts mode a Unix one
public sealed class ProviderHookTests : IDisposable
{
    private const string Tunnel = "10.77.0.5";
    private readonly Scratch _scratch = new();
    private readonly FakeEdgeShell _shell;

    public ProviderHookTests()
    {
        _shell = new FakeEdgeShell(_scratch);
        Directory.CreateDirectory(_scratch["data"]);
        Directory.CreateDirectory(_scratch["cert"]);
        File.WriteAllText(_scratch["wg0.conf"], "[Interface]\n");
        File.WriteAllText(_scratch["nginx.conf"], "  ssl_certificate /etc/letsencrypt/live/app.example.com/fullchain.pem;\n");
        File.WriteAllText(_scratch["cert/fullchain.pem"], "chain");
        File.WriteAllText(_scratch["cert/privkey.pem"], "key");
    }

    private string KnownHosts => _scratch["data/known_hosts"];

    [Fact]
    public async Task Hetzner_Lifecycle_KeyPinnedOnce_PublicSshClosed_LaterCallsThroughTheTunnel_DestroyForgetsTheKey()
    {
        var created = await HookAsync("hetzner/create.sh", "edge-a", new() { ["HCLOUD_SSH_KEY"] = "home" });
        Assert.Contains("\"ipv4\": \"203.0.113.7\"", created.Stdout);
        Assert.DoesNotContain(_shell.TakeCalls(), c => c[0] is "ssh" or "scp" or "ssh-keyscan");

        // First provision: the tunnel is not up yet; everything goes to the public address.
        _shell.Unreachable(Tunnel);
        await HookAsync("hetzner/provision.sh", "edge-a");
        var provision = _shell.TakeCalls();
        Assert.Equal([["ssh-keyscan", "-T", "10", "203.0.113.7"]], provision.Where(c => c[0] == "ssh-keyscan"));
        Assert.Equal([$"edge-a ssh-ed25519 {_shell.HostKey}"], File.ReadAllLines(KnownHosts));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KnownHosts));
        var connections = provision.Where(c => c[0] is "ssh" or "scp").ToList();
        Assert.All(connections, StrictlyPinned("edge-a"));
        Assert.All(connections, c => Assert.Equal("203.0.113.7", Address(c)));
        // The firewall is the last thing done, and it lets SSH in through the tunnel only.
        var firewall = string.Join(' ', connections[^1]);
        Assert.Contains("flush ruleset", firewall);
        Assert.Contains("tcp dport { 80, 443 } accept", firewall);
        Assert.Contains("iifname \"wg0\" accept", firewall);
        Assert.DoesNotContain("22", firewall);

        // Once provisioned: the public port is closed, and the certificate goes through the tunnel.
        _shell.Unreachable("203.0.113.7");
        await HookAsync("hetzner/certificate.sh", "edge-a");
        var certificate = _shell.TakeCalls();
        Assert.Equal(3, certificate.Count);
        Assert.All(certificate, StrictlyPinned("edge-a"));
        Assert.All(certificate, c => Assert.Equal(Tunnel, Address(c)));
        Assert.Contains(certificate, c => c[0] == "scp" && c.Contains(_scratch["cert/privkey.pem"]));

        // Provision again (a retry, a resumed rotation): it finds the edge through the tunnel, pins nothing new.
        await HookAsync("hetzner/provision.sh", "edge-a");
        var again = _shell.TakeCalls();
        Assert.DoesNotContain(again, c => c[0] == "ssh-keyscan");
        Assert.All(again.Where(c => c[0] is "ssh" or "scp"), c => Assert.Equal(Tunnel, Address(c)));
        Assert.Single(File.ReadAllLines(KnownHosts));

        // Destroy deletes the server and its pinned key, and leaves other edges' keys alone.
        File.AppendAllLines(KnownHosts, ["edge-b ssh-ed25519 AAAAotherEdge"]);
        await HookAsync("hetzner/destroy.sh", "edge-a");
        Assert.Contains(_shell.TakeCalls(), c => c is ["hcloud", "server", "delete", "edge-a"]);
        Assert.False(_shell.ServerExists);
        Assert.Equal(["edge-b ssh-ed25519 AAAAotherEdge"], File.ReadAllLines(KnownHosts));
        // Run again (the sidecar may): gone already, still succeeds.
        await HookAsync("hetzner/destroy.sh", "edge-a");
    }

    [Fact]
    public async Task RecycledAddress_NewVpsWithANewKey_ProvisionsCleanly()
    {
        // An edge destroyed earlier had this very address; its key was pinned under its own name.
        File.WriteAllLines(KnownHosts, ["edge-old ssh-ed25519 AAAAkeyOfTheOldVps"]);
        _shell.ServerExists = true;
        _shell.Unreachable(Tunnel);

        await HookAsync("hetzner/provision.sh", "edge-new");

        Assert.Equal(["edge-old ssh-ed25519 AAAAkeyOfTheOldVps", $"edge-new ssh-ed25519 {_shell.HostKey}"], File.ReadAllLines(KnownHosts));
        Assert.All(_shell.TakeCalls().Where(c => c[0] is "ssh" or "scp"), StrictlyPinned("edge-new"));
    }

    [Fact]
    public async Task ChangedHostKey_AfterPinning_Refused()
    {
        _shell.ServerExists = true;
        _shell.Unreachable(Tunnel);
        await HookAsync("hetzner/provision.sh", "edge-a");
        _shell.TakeCalls();

        // Someone else answers at the tunnel address (or the public one) with another key.
        _shell.HostKey = "AAAAC3NzaC1lZDI1NTE5AAAAIImpostorKey";
        _shell.Unreachable();
        var certificate = await HookAsync("hetzner/certificate.sh", "edge-a", expectExit: 255);
        Assert.Contains("Host key verification failed.", certificate.Stderr);
        var provision = await HookAsync("hetzner/provision.sh", "edge-a", expectExit: 255);
        Assert.Contains("Host key verification failed.", provision.Stderr);
        Assert.DoesNotContain(_shell.TakeCalls(), c => c[0] == "ssh-keyscan"); // a pinned key is never replaced by what is offered
    }

    [Fact]
    public async Task DigitalOcean_ProvisionLikeHetzner_DestroyForgetsTheKey()
    {
        await HookAsync("digitalocean/create.sh", "edge-d", new() { ["DO_SSH_KEY"] = "12345" });
        _shell.Unreachable(Tunnel);
        await HookAsync("digitalocean/provision.sh", "edge-d");
        var provision = _shell.TakeCalls().Where(c => c[0] is "ssh" or "scp").ToList();
        Assert.NotEmpty(provision);
        Assert.All(provision, StrictlyPinned("edge-d"));
        Assert.Equal([$"edge-d ssh-ed25519 {_shell.HostKey}"], File.ReadAllLines(KnownHosts));

        _shell.Unreachable("203.0.113.7");
        await HookAsync("digitalocean/certificate.sh", "edge-d");
        Assert.All(_shell.TakeCalls(), c => Assert.Equal(Tunnel, Address(c)));

        await HookAsync("digitalocean/destroy.sh", "edge-d");
        Assert.Contains(_shell.TakeCalls(), c => c is ["doctl", "compute", "droplet", "delete", "edge-d", "--force"]);
        Assert.Empty(File.ReadAllLines(KnownHosts));
    }

    [Fact]
    public async Task Sidecar_HandsEveryEdgeHookItsTunnelAddressAndTheKnownHostsFile()
    {
        using var sidecar = FakeSidecar.Create(o =>
        {
            o.Nginx.CertificateDir = _scratch["cert"];
            o.Hooks.Certificate = $"echo \"$EDGE_NAME $EDGE_TUNNEL $EDGE_KNOWN_HOSTS\" >> '{_scratch["seen"]}'";
        });
        Assert.True(sidecar.Session.RenderAll().Ok);

        await new Commands.CertificateDistribution(sidecar.Session).PushAsync(CancellationToken.None);

        var knownHosts = Path.Combine(Path.GetFullPath(sidecar.Options.Data), SidecarSession.KnownHostsFile);
        var inventory = sidecar.Session.Inventory;
        Assert.Equal(
            new[] { "edge-1", "edge-2" }.Select(e => $"{e} {inventory.Find(e)!.Tunnel} {knownHosts}"),
            File.ReadAllLines(_scratch["seen"]));
        Assert.All(new[] { "edge-1", "edge-2" }, e => Assert.StartsWith("10.", inventory.Find(e)!.Tunnel));
    }

    private async Task<Script.Result> HookAsync(string hook, string edge, Dictionary<string, string>? more = null, int expectExit = 0)
    {
        var environment = more ?? [];
        environment["EDGE_NAME"] = edge;
        environment["EDGE_IPV4"] = _shell.Ipv4;
        environment["EDGE_TUNNEL"] = Tunnel;
        environment["EDGE_KNOWN_HOSTS"] = KnownHosts;
        environment["EDGE_WG_CONF"] = _scratch["wg0.conf"];
        environment["EDGE_NGINX_CONF"] = _scratch["nginx.conf"];
        environment["EDGE_CERT_DIR"] = _scratch["cert"];
        var result = await Script.RunAsync(Repository.File($"deploy/hooks/{hook}"), [], TimeSpan.FromSeconds(60), environment: _shell.Environment(environment));
        Assert.True(result.ExitCode == expectExit, $"{hook}: {result.Describe()}");
        return result;
    }

    /// <summary>The address a recorded ssh or scp call connected to.</summary>
    private static string Address(string[] call)
    {
        var positional = new List<string>();
        for (var i = 1; i < call.Length; i++)
        {
            if (call[i] == "-o") i++;
            else if (!call[i].StartsWith('-')) positional.Add(call[i]);
        }
        var target = call[0] == "scp" ? positional[^1] : positional[0];
        var host = target[(target.IndexOf('@') + 1)..];
        return host.Split(':')[0];
    }

    /// <summary>The call checks the host key strictly, against the sidecar's file, under the edge's name.</summary>
    private Action<string[]> StrictlyPinned(string edge) => call =>
    {
        var options = call.Skip(1).Zip(call.Skip(2)).Where(p => p.First == "-o").Select(p => p.Second).ToList();
        Assert.Contains("StrictHostKeyChecking=yes", options);
        Assert.Contains($"UserKnownHostsFile={KnownHosts}", options);
        Assert.Contains($"HostKeyAlias={edge}", options);
        Assert.DoesNotContain(options, o => o.Contains("accept-new", StringComparison.Ordinal) || o == "StrictHostKeyChecking=no");
    };

    public void Dispose() => _scratch.Dispose();
}
