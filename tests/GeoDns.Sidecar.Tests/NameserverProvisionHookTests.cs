namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The nameservers' provision hook over ssh (deploy/hooks/nameserver-provision.sh, and each provider's
/// provision-nameserver.sh that runs it) against the fake ssh, scp and ssh-keyscan of <see cref="FakeEdgeShell"/>:
/// what crosses to the VPS and in which order, and the step that installs the files run for real on a
/// stand-in of the VPS's directories.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // bash hooks, Unix file modes
public sealed class NameserverProvisionHookTests : IDisposable
{
    private const string Tunnel = "10.77.0.2";
    private const string Stage = "/var/tmp/geodns-provision";
    private const string Package = "geodns_0.9.1_amd64.deb";
    private readonly Scratch _scratch = new();
    private readonly FakeEdgeShell _shell;

    public NameserverProvisionHookTests()
    {
        _shell = new FakeEdgeShell(_scratch);
        Directory.CreateDirectory(_scratch["data"]);
        Directory.CreateDirectory(_scratch["bundle/zones"]);
        File.WriteAllText(_scratch["bundle/geodns.json"], "{ \"zones\": \"zones\", \"adminTokenFile\": \"admin.token\" }\n");
        File.WriteAllText(_scratch["bundle/admin.token"], "token\n");
        File.WriteAllText(_scratch["bundle/xfr.key"], "key \"xfr\" { algorithm hmac-sha256; secret \"c2VjcmV0\"; };\n");
        File.WriteAllText(_scratch["bundle/alert-0.password"], "smtp-password\n");
        File.WriteAllText(_scratch["bundle/zones/edge.example.net.zone"], "$ORIGIN edge.example.net.\n");
        File.WriteAllText(_scratch["wg0.conf"], "[Interface]\nListenPort = 51820\n");
        File.WriteAllText(_scratch[Package], "a package");
    }

    private string KnownHosts => _scratch["data/known_hosts"];

    [Fact]
    public async Task FirstRun_PinsTheKey_InstallsThePackageAllowingDowngrades_ThenTheFiles_FirewallLast_RunAgainThroughTheTunnel()
    {
        _shell.Unreachable(Tunnel);
        await HookAsync("hetzner/provision-nameserver.sh");

        var calls = _shell.TakeCalls();
        Assert.Equal([["ssh-keyscan", "-T", "10", _shell.Ipv4]], calls.Where(c => c[0] == "ssh-keyscan"));
        Assert.Equal([$"ns1 ssh-ed25519 {_shell.HostKey}"], File.ReadAllLines(KnownHosts));
        var connections = calls.Where(c => c[0] is "ssh" or "scp").ToList();
        Assert.All(connections, ProviderHookFixture.StrictlyPinned(KnownHosts, "ns1"));
        Assert.All(connections, c => Assert.Equal(_shell.Ipv4, ProviderHookFixture.Address(c)));

        // What is copied: the package, the tunnel's config, and the bundle's directory whole.
        var copies = connections.Where(c => c[0] == "scp").Select(c => (From: c[^2], To: c[^1], Recursive: c.Contains("-r"))).ToList();
        Assert.Equal(
            [(_scratch[Package], $"root@{_shell.Ipv4}:{Stage}/{Package}", false), (_scratch["wg0.conf"], $"root@{_shell.Ipv4}:{Stage}/wg0.conf", false),
             (_scratch["bundle"], $"root@{_shell.Ipv4}:{Stage}/files", true)],
            copies);

        // Then, in this order: the package (downgrades allowed, a rollback is one; the conffiles this hook
        // replaces kept without a question), the files, the firewall.
        var scripts = connections.Where(c => c[0] == "ssh").Select(Remote).ToList();
        var install = scripts.FindIndex(s => s.Contains("apt-get install"));
        var files = scripts.FindIndex(s => s.Contains("/opt/geodns/zones"));
        Assert.True(install >= 0 && install < files && files == scripts.Count - 2, string.Join("\n---\n", scripts));
        Assert.Contains($"--allow-downgrades", scripts[install]);
        Assert.Contains("-o Dpkg::Options::=--force-confold", scripts[install]);
        Assert.Contains($"wireguard-tools nftables {Stage}/{Package}", scripts[install]);
        Assert.Contains("systemctl enable -q geodns && systemctl restart geodns", scripts[files]);
        var firewall = scripts[^1];
        Assert.Contains("flush ruleset", firewall);
        Assert.Contains("meta l4proto { tcp, udp } th dport 53 accept", firewall);
        Assert.Contains("udp dport 51820 accept", firewall);
        // SSH and the admin endpoint through the tunnel only: no other line opens either.
        Assert.Equal(["iifname \"wg0\" tcp dport { 22, 8053 } accept"], firewall.Split('\n').Select(l => l.Trim()).Where(l => l.Contains("22") || l.Contains("8053")));
        Assert.All(scripts, s => Assert.True(SyntaxOk(s), s));

        // Run again (an upgrade, a rollback): public SSH is closed now, the tunnel takes it; nothing pinned anew.
        _shell.Unreachable(_shell.Ipv4);
        await HookAsync("hetzner/provision-nameserver.sh");
        var again = _shell.TakeCalls();
        Assert.DoesNotContain(again, c => c[0] == "ssh-keyscan");
        Assert.All(again.Where(c => c[0] is "ssh" or "scp"), c => Assert.Equal(Tunnel, ProviderHookFixture.Address(c)));
        Assert.Single(File.ReadAllLines(KnownHosts));
    }

    [Fact]
    public async Task OtherPorts_TheFirewallOpensThoseForDnsAndTheAdmin()
    {
        _shell.Unreachable(Tunnel);
        await HookAsync("hetzner/provision-nameserver.sh", new() { ["NS_DNS_PORT"] = "5353", ["NS_ADMIN_PORT"] = "9053" });

        var firewall = Remote(_shell.TakeCalls().Last(c => c[0] == "ssh"));
        Assert.Contains("th dport 5353 accept", firewall);
        Assert.Contains("iifname \"wg0\" tcp dport { 22, 9053 } accept", firewall);
    }

    [Theory]
    [MemberData(nameof(ProviderHookFixture.Folders), MemberType = typeof(ProviderHookFixture))]
    public async Task EveryProvider_RunsTheSharedHook(string folder)
    {
        _shell.Unreachable(Tunnel);
        await HookAsync($"{folder}/provision-nameserver.sh");

        var calls = _shell.TakeCalls();
        Assert.Contains(calls, c => c[0] == "scp" && c.Contains(_scratch[Package]));
        Assert.Contains("flush ruleset", Remote(calls.Last(c => c[0] == "ssh")));
        Assert.All(calls.Where(c => c[0] is "ssh" or "scp"), ProviderHookFixture.StrictlyPinned(KnownHosts, "ns1"));
    }

    [Fact]
    public async Task ABundleWithoutItsConfig_Fails_BeforeConnecting()
    {
        File.Delete(_scratch["bundle/geodns.json"]);

        var result = await HookAsync("hetzner/provision-nameserver.sh", expectExit: 1);

        Assert.Contains("has no geodns.json", result.Stderr);
        Assert.Empty(_shell.TakeCalls());
    }

    /// <summary>
    /// The step that installs the files, run by bash on a stand-in of the VPS: its /opt/geodns (with the package's
    /// example zone and a zone an earlier bundle had), /etc/wireguard and the staging directory as scp left it,
    /// under a scratch directory; systemctl recorded, install's owner and group dropped (no user geodns here).
    /// </summary>
    [Fact]
    public async Task TheFilesStep_OnAStandIn_InstallsTheBundle_RemovesOtherZones_RestartsWireGuardOnlyWhenItChanged()
    {
        _shell.Unreachable(Tunnel);
        await HookAsync("hetzner/provision-nameserver.sh");
        var step = Remote(_shell.TakeCalls().Single(c => c[0] == "ssh" && Remote(c).Contains("/opt/geodns/zones")));
        var vps = _scratch["vps"];
        Directory.CreateDirectory($"{vps}/opt/geodns/zones");
        File.WriteAllText($"{vps}/opt/geodns/zones/edge.example.com.zone", "the package's example");
        File.WriteAllText($"{vps}/opt/geodns/zones/old.example.net.zone", "an earlier bundle's");
        File.WriteAllText($"{vps}/opt/geodns/xfr.key", "an earlier key");
        Directory.CreateDirectory($"{vps}/bin");
        File.WriteAllText($"{vps}/bin/systemctl", $"#!/bin/sh\necho \"$*\" >>'{vps}/systemctl'\n");
        File.WriteAllText($"{vps}/bin/install", """
            #!/usr/bin/env bash
            args=()
            while [ $# -gt 0 ]; do case $1 in -o|-g) shift 2 ;; *) args+=("$1"); shift ;; esac; done
            exec /usr/bin/install "${args[@]}"
            """);
        foreach (var tool in new[] { "systemctl", "install" }) File.SetUnixFileMode($"{vps}/bin/{tool}", (UnixFileMode)0b111_101_101);
        var script = step.Replace(Stage, $"{vps}{Stage}").Replace("/opt/geodns", $"{vps}/opt/geodns").Replace("/etc/wireguard", $"{vps}/etc/wireguard");

        async Task RunAsync(bool withKey)
        {
            // What the scp calls leave.
            Directory.CreateDirectory($"{vps}{Stage}");
            CopyDirectory(_scratch["bundle"], $"{vps}{Stage}/files");
            if (!withKey) File.Delete($"{vps}{Stage}/files/xfr.key");
            if (!withKey) File.Delete($"{vps}{Stage}/files/alert-0.password");
            File.Copy(_scratch["wg0.conf"], $"{vps}{Stage}/wg0.conf");
            var ran = await Script.RunAsync("/bin/bash", ["-c", script], TimeSpan.FromSeconds(20),
                environment: new Dictionary<string, string> { ["PATH"] = $"{vps}/bin:{Environment.GetEnvironmentVariable("PATH")}" });
            Assert.True(ran.ExitCode == 0, ran.Describe());
        }

        await RunAsync(withKey: true);
        Assert.Equal(["edge.example.net.zone"], Directory.GetFiles($"{vps}/opt/geodns/zones").Select(Path.GetFileName));
        Assert.Equal("$ORIGIN edge.example.net.\n", File.ReadAllText($"{vps}/opt/geodns/zones/edge.example.net.zone"));
        Assert.Equal(File.ReadAllText(_scratch["bundle/geodns.json"]), File.ReadAllText($"{vps}/opt/geodns/geodns.json"));
        Assert.Equal("0644 0640 0640 0640 0644 0600", string.Join(' ', new[] { "geodns.json", "admin.token", "xfr.key", "alert-0.password", "zones/edge.example.net.zone" }
            .Select(f => $"{vps}/opt/geodns/{f}").Append($"{vps}/etc/wireguard/wg0.conf").Select(Mode)));
        Assert.False(Directory.Exists($"{vps}{Stage}"), "the staging directory, with the secrets, is removed");
        Assert.Equal(["enable -q wg-quick@wg0", "restart wg-quick@wg0", "enable -q geodns", "restart geodns"], File.ReadAllLines($"{vps}/systemctl"));
        Assert.Contains("install -m 640 -o root -g geodns", step);

        // Again, the same tunnel config, no transfers and no alert channel any more: WireGuard keeps running, the old secrets go.
        File.Delete($"{vps}/systemctl");
        await RunAsync(withKey: false);
        Assert.Equal(["enable -q --now wg-quick@wg0", "enable -q geodns", "restart geodns"], File.ReadAllLines($"{vps}/systemctl"));
        Assert.False(File.Exists($"{vps}/opt/geodns/xfr.key"));
        Assert.False(File.Exists($"{vps}/opt/geodns/alert-0.password"));
        Assert.True(File.Exists($"{vps}/opt/geodns/admin.token"));
    }

    private async Task<Script.Result> HookAsync(string hook, Dictionary<string, string>? more = null, int expectExit = 0)
    {
        var environment = more ?? [];
        environment["EDGE_NAME"] = "ns1";
        environment["EDGE_ROLE"] = "nameserver";
        environment["EDGE_IPV4"] = _shell.Ipv4;
        environment["EDGE_TUNNEL"] = Tunnel;
        environment["EDGE_KNOWN_HOSTS"] = KnownHosts;
        environment["NS_FILES"] = _scratch["bundle"];
        environment["NS_WG_CONF"] = _scratch["wg0.conf"];
        environment["NS_PACKAGE"] = _scratch[Package];
        var result = await Script.RunAsync(Repository.File($"deploy/hooks/{hook}"), [], TimeSpan.FromSeconds(60), environment: _shell.Environment(environment));
        Assert.True(result.ExitCode == expectExit, $"{hook}: {result.Describe()}");
        return result;
    }

    /// <summary>The command a recorded ssh call ran on the VPS (the fakes record a newline as \n).</summary>
    private static string Remote(string[] call) => call[^1].Replace("\\n", "\n");

    private static bool SyntaxOk(string script) => Tools.Run("bash", "-n", "-c", script).ExitCode == 0;

    private static string Mode(string path) => Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0');

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose() => _scratch.Dispose();
}
