namespace GeoDns.Sidecar.Tests;

/// <summary>
/// An edge's life through the provider hooks, on Hetzner and DigitalOcean, and how its host key is
/// kept: pinned at the first provision and checked strictly on every connection, public SSH closed at
/// the end of provision and later calls through the tunnel, a recycled address provisioned under the
/// new edge's name, a changed key refused rather than replaced, and destroy forgetting the key. Also
/// that the sidecar hands every edge hook its tunnel address and known_hosts file, and that the fakes
/// stand first on PATH. <see cref="ProviderHookSetTests"/> checks each provider's set one hook at a time.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the hooks are bash, the known_hosts mode a Unix one
public sealed class ProviderHookTests : ProviderHookFixture
{
    [Fact]
    public async Task Hetzner_Lifecycle_KeyPinnedOnce_PublicSshClosed_LaterCallsThroughTheTunnel_DestroyForgetsTheKey()
    {
        var created = await HookAsync("hetzner/create.sh", "edge-a", new() { ["HCLOUD_SSH_KEY"] = "home" });
        Assert.Equal("203.0.113.7", Edge(created).GetProperty("ipv4").GetString());
        Assert.DoesNotContain(Shell.TakeCalls(), c => c[0] is "ssh" or "scp" or "ssh-keyscan");

        // First provision: the tunnel is not up yet; everything goes to the public address.
        Shell.Unreachable(Tunnel);
        await HookAsync("hetzner/provision.sh", "edge-a");
        var provision = Shell.TakeCalls();
        Assert.Equal([["ssh-keyscan", "-T", "10", "203.0.113.7"]], provision.Where(c => c[0] == "ssh-keyscan"));
        Assert.Equal([$"edge-a ssh-ed25519 {Shell.HostKey}"], File.ReadAllLines(KnownHosts));
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
        Shell.Unreachable("203.0.113.7");
        await HookAsync("hetzner/certificate.sh", "edge-a");
        var certificate = Shell.TakeCalls();
        Assert.Equal(3, certificate.Count);
        Assert.All(certificate, StrictlyPinned("edge-a"));
        Assert.All(certificate, c => Assert.Equal(Tunnel, Address(c)));
        Assert.Contains(certificate, c => c[0] == "scp" && c.Contains(Scratch["cert/privkey.pem"]));

        // Provision again (a retry, a resumed rotation): it finds the edge through the tunnel, pins nothing new.
        await HookAsync("hetzner/provision.sh", "edge-a");
        var again = Shell.TakeCalls();
        Assert.DoesNotContain(again, c => c[0] == "ssh-keyscan");
        Assert.All(again.Where(c => c[0] is "ssh" or "scp"), c => Assert.Equal(Tunnel, Address(c)));
        Assert.Single(File.ReadAllLines(KnownHosts));

        // Destroy deletes the server and its pinned key, and leaves other edges' keys alone.
        File.AppendAllLines(KnownHosts, ["edge-b ssh-ed25519 AAAAotherEdge"]);
        await HookAsync("hetzner/destroy.sh", "edge-a");
        Assert.Contains(Shell.TakeCalls(), c => c is ["hcloud", "server", "delete", "edge-a"]);
        Assert.False(Shell.Exists("edge-a"));
        Assert.Equal(["edge-b ssh-ed25519 AAAAotherEdge"], File.ReadAllLines(KnownHosts));
        // Run again (the sidecar may): gone already, still succeeds.
        await HookAsync("hetzner/destroy.sh", "edge-a");
    }

    [Fact]
    public async Task RecycledAddress_NewVpsWithANewKey_ProvisionsCleanly()
    {
        // An edge destroyed earlier had this very address; its key was pinned under its own name.
        File.WriteAllLines(KnownHosts, ["edge-old ssh-ed25519 AAAAkeyOfTheOldVps"]);
        Shell.Unreachable(Tunnel);

        await HookAsync("hetzner/provision.sh", "edge-new");

        Assert.Equal(["edge-old ssh-ed25519 AAAAkeyOfTheOldVps", $"edge-new ssh-ed25519 {Shell.HostKey}"], File.ReadAllLines(KnownHosts));
        Assert.All(Shell.TakeCalls().Where(c => c[0] is "ssh" or "scp"), StrictlyPinned("edge-new"));
    }

    [Fact]
    public async Task ChangedHostKey_AfterPinning_Refused()
    {
        Shell.Unreachable(Tunnel);
        await HookAsync("hetzner/provision.sh", "edge-a");
        Shell.TakeCalls();

        // Someone else answers at the tunnel address (or the public one) with another key.
        Shell.HostKey = "AAAAC3NzaC1lZDI1NTE5AAAAIImpostorKey";
        Shell.Unreachable();
        var certificate = await HookAsync("hetzner/certificate.sh", "edge-a", expectExit: 255);
        Assert.Contains("Host key verification failed.", certificate.Stderr);
        var provision = await HookAsync("hetzner/provision.sh", "edge-a", expectExit: 255);
        Assert.Contains("Host key verification failed.", provision.Stderr);
        Assert.DoesNotContain(Shell.TakeCalls(), c => c[0] == "ssh-keyscan"); // a pinned key is never replaced by what is offered
    }

    [Fact]
    public async Task DigitalOcean_ProvisionLikeHetzner_DestroyForgetsTheKey()
    {
        await HookAsync("digitalocean/create.sh", "edge-d", new() { ["DO_SSH_KEY"] = "12345" });
        Shell.Unreachable(Tunnel);
        await HookAsync("digitalocean/provision.sh", "edge-d");
        var provision = Shell.TakeCalls().Where(c => c[0] is "ssh" or "scp").ToList();
        Assert.NotEmpty(provision);
        Assert.All(provision, StrictlyPinned("edge-d"));
        Assert.Equal([$"edge-d ssh-ed25519 {Shell.HostKey}"], File.ReadAllLines(KnownHosts));

        Shell.Unreachable("203.0.113.7");
        await HookAsync("digitalocean/certificate.sh", "edge-d");
        Assert.All(Shell.TakeCalls(), c => Assert.Equal(Tunnel, Address(c)));

        await HookAsync("digitalocean/destroy.sh", "edge-d");
        Assert.Contains(Shell.TakeCalls(), c => c is ["doctl", "compute", "droplet", "delete", "edge-d", "--force"]);
        Assert.Empty(File.ReadAllLines(KnownHosts));
    }

    [Fact]
    public async Task Sidecar_HandsEveryEdgeHookItsTunnelAddressAndTheKnownHostsFile()
    {
        using var sidecar = FakeSidecar.Create(o =>
        {
            o.Nginx.CertificateDir = Scratch["cert"];
            o.Hooks.Certificate = $"echo \"$EDGE_NAME $EDGE_TUNNEL $EDGE_KNOWN_HOSTS\" >> '{Scratch["seen"]}'";
        });
        Assert.True(sidecar.Session.RenderAll().Ok);

        await new Commands.CertificateDistribution(sidecar.Session).PushAsync(CancellationToken.None);

        var knownHosts = Path.Combine(Path.GetFullPath(sidecar.Options.Data), SidecarSession.KnownHostsFile);
        var inventory = sidecar.Session.Inventory;
        Assert.Equal(
            new[] { "edge-1", "edge-2" }.Select(e => $"{e} {inventory.Find(e)!.Tunnel} {knownHosts}"),
            File.ReadAllLines(Scratch["seen"]));
        Assert.All(new[] { "edge-1", "edge-2" }, e => Assert.StartsWith("10.", inventory.Find(e)!.Tunnel));
    }

    [Fact]
    public async Task TheFakes_StandFirstOnPath_ForEveryProgramTheHooksCall()
    {
        var programs = new[] { "ssh", "scp", "ssh-keyscan", "sleep" }.Concat(FakeEdgeShell.Providers).ToList();
        var found = await Script.RunAsync("/bin/bash", ["-c", "command -v \"$@\"", "bash", .. programs], TimeSpan.FromSeconds(10),
            environment: Shell.Environment([]));

        Assert.Equal(programs.Select(p => Path.Combine(Shell.Bin, p)), found.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
