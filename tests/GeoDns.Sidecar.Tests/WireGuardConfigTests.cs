using GeoDns.Sidecar.WireGuard;

namespace GeoDns.Sidecar.Tests;

public sealed class WireGuardConfigTests
{
    // Fixed keys, so the output is fixed too. Only their shape matters here.
    private static readonly KeyPair Home = new("qGNBHrVGp0WnLEw5a9tgn8k2V6W5MsR6K0H4G8B2JGg=", "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=");
    private static readonly KeyPair Edge = new("UG4mGm1cY+fDqkpv2Ugpq1lrvGUFhDWvgBf6ZWbG73U=", "3p7bfXt9wbTTW2HC7OQTCl3Jtk7SfRA9AojcEqHsIyA=");

    [Fact]
    public void HomeConfig_OnePeerPerEdge_DialsOutWithKeepalive()
    {
        var text = HomeConfig.Render(Home,
        [
            new HomePeer("edge-2", Edge.PublicKey, "203.0.113.9:51820", "10.77.0.11"),
            new HomePeer("edge-1", "BkFkiP8l5OzpzRGWnqMnT6TI4SpSIaLdbt2yiLXz6As=", "[2001:db8::1]:51820", "10.77.0.10"),
        ]);

        Assert.Equal("""
            # Written by geodns-sidecar for `wg syncconf` (not wg-quick); edits are overwritten at the next rotation.
            [Interface]
            PrivateKey = qGNBHrVGp0WnLEw5a9tgn8k2V6W5MsR6K0H4G8B2JGg=
            ListenPort = 51820

            # edge-1
            [Peer]
            PublicKey = BkFkiP8l5OzpzRGWnqMnT6TI4SpSIaLdbt2yiLXz6As=
            Endpoint = [2001:db8::1]:51820
            AllowedIPs = 10.77.0.10/32
            PersistentKeepalive = 25

            # edge-2
            [Peer]
            PublicKey = 3p7bfXt9wbTTW2HC7OQTCl3Jtk7SfRA9AojcEqHsIyA=
            Endpoint = 203.0.113.9:51820
            AllowedIPs = 10.77.0.11/32
            PersistentKeepalive = 25

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void EdgeConfig_ListensAndKnowsOnlyTheHome_NoEndpoint()
    {
        var text = EdgeConfig.Render("edge-2", Edge, "10.77.0.11", Home.PublicKey, "10.77.0.1");

        Assert.Equal("""
            # edge-2: written by geodns-sidecar
            [Interface]
            PrivateKey = UG4mGm1cY+fDqkpv2Ugpq1lrvGUFhDWvgBf6ZWbG73U=
            Address = 10.77.0.11/32
            ListenPort = 51820

            # home
            [Peer]
            PublicKey = hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=
            AllowedIPs = 10.77.0.1/32

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void SecretFile_OwnerOnly_ReplacesWholeFile_NoTemporaryLeft()
    {
        using var scratch = new Scratch();
        var path = scratch["wg/wg0.conf"];

        SecretFile.Write(path, "first, and longer than the second\n");
        SecretFile.Write(path, "second\n");

        Assert.Equal("second\n", File.ReadAllText(path));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(["wg0.conf"], Directory.GetFiles(scratch["wg"]).Select(Path.GetFileName));
    }

    [Fact]
    public void HomeConfig_OnlyKeysWgKnows_NothingWgQuickWouldRun()
    {
        var text = HomeConfig.Render(Home, [new HomePeer("edge-2", Edge.PublicKey, "203.0.113.9:51820", "10.77.0.11")], 51999);

        // wg-quick runs PreUp/PostUp/PreDown/PostDown as root and acts on Address, DNS, MTU, Table and
        // SaveConfig; `wg syncconf` refuses all of them, and this file (the sidecar's) holds none.
        var keys = text.Split('\n').Select(l => l.Trim()).Where(l => l.Contains('=') && !l.StartsWith('#')).Select(l => l[..l.IndexOf('=')].Trim()).ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.Contains(k, HomeConfig.WgKeys));
        foreach (var hook in new[] { "PreUp", "PostUp", "PreDown", "PostDown", "Table", "Address", "DNS", "MTU", "SaveConfig" })
            Assert.DoesNotContain(keys, k => string.Equals(k, hook, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["[Interface]", "[Peer]"], text.Split('\n').Where(l => l.StartsWith('[')).Distinct());
        Assert.Contains("ListenPort = 51999\n", text); // syncconf would move an unset port at every apply
    }

    [Fact]
    public void SidecarWritesHome_PeersFileOwnerOnly()
    {
        using var sidecar = FakeSidecar.Create();

        var path = sidecar.Session.WriteHome();

        Assert.Equal(Path.Combine(sidecar.Options.WireguardDir, "wg0.peers"), path);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.DoesNotContain("Address", File.ReadAllText(path));
    }

    [SkippableFact]
    public void RenderedConfigs_PassWgQuickStrip_TheHomesUnchanged()
    {
        var wgQuick = Executables.Find("wg-quick");
        Skip.If(wgQuick is null, "wireguard-tools (wg-quick) is not installed");
        Skip.If(Environment.UserName != "root", "wg-quick strip re-runs itself through sudo when not root");
        using var scratch = new Scratch();
        var home = scratch["home/wg0.peers"];
        var edge = scratch["edge/wg0.conf"];
        SecretFile.Write(home, HomeConfig.Render(Home, [new HomePeer("edge-2", Edge.PublicKey, "203.0.113.9:51820", "10.77.0.11")]));
        SecretFile.Write(edge, EdgeConfig.Render("edge-2", Edge, "10.77.0.11", Home.PublicKey, "10.77.0.1"));

        foreach (var file in new[] { edge })
        {
            var result = Tools.Run(wgQuick, "strip", file);
            Assert.True(result.ExitCode == 0, $"wg-quick strip {file}: {result.Stderr}");
            // wg-quick warns on stderr about a world-readable file: silence means the mode is right too.
            Assert.Equal("", result.Stderr);
            Assert.Contains("PrivateKey = ", result.Stdout);
            Assert.DoesNotContain("Address", result.Stdout); // wg-quick's own keys are stripped, WireGuard's kept
        }
        // Nothing in the home's file is wg-quick's: stripping it changes nothing (under a name wg-quick takes).
        var asConf = scratch["home/wg0.conf"];
        File.Copy(home, asConf);
        Assert.Equal(File.ReadAllText(home).TrimEnd(), Tools.Run(wgQuick, "strip", asConf).Stdout.TrimEnd());
    }

    [Fact]
    public void DefaultApply_IsWgSyncconf_NeverWgQuick()
    {
        Assert.Equal("wg syncconf \"$WG_INTERFACE\" \"$WG_CONF\"", ApplyCommand.Default);
        Assert.Equal(ApplyCommand.Default, new SidecarOptions().Apply);
    }
}
