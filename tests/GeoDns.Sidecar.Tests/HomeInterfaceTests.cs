using GeoDns.Sidecar.WireGuard;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The home's interface as the guide sets it up, for real (wireguard-go in a network namespace this test makes,
/// <c>gh3-wgi-*</c>): root's deploy/home/wg0.conf brings it up with wg-quick, and the sidecar's peers file is
/// applied by the default apply command, which keeps the key and the port and changes only the peers.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // network namespaces, wg-quick: Linux only
public sealed class HomeInterfaceTests
{
    [SkippableFact]
    public async Task RootConfigUp_SidecarAppliesPeers_KeyAndPortKept()
    {
        Skip.IfNot(TunnelLab.Available(out var why), why);
        Skip.If(Executables.Find("wg-quick") is null, "wireguard-tools (wg-quick) is not installed");
        using var scratch = new Scratch();
        var id = Guid.NewGuid().ToString("N")[..4];
        var ns = $"gh3-wgi-{id}";
        // wireguard-go's control sockets are machine-wide: a name of our own.
        var iface = $"gh3i{id}";
        var home = KeyPair.GenerateWithNSec();
        var peers = Path.Combine(scratch.Path, "wireguard", iface + ".peers");
        var edge1 = new HomePeer("edge-1", KeyPair.GenerateWithNSec().PublicKey, "198.51.100.21:51820", "10.77.0.10");
        var edge2 = new HomePeer("edge-2", KeyPair.GenerateWithNSec().PublicKey, "198.51.100.22:51820", "10.77.0.11");
        SecretFile.Write(peers, HomeConfig.Render(home, [edge1], 51999));
        var rootConfig = Path.Combine(scratch.Path, iface + ".conf");
        var template = File.ReadAllText(Repository.File("deploy/home/wg0.conf"));
        Assert.Contains("/var/lib/geodns-sidecar/wireguard/%i.peers", template);
        File.WriteAllText(rootConfig, template.Replace("/var/lib/geodns-sidecar/wireguard/", Path.GetDirectoryName(peers) + "/", StringComparison.Ordinal));
        File.SetUnixFileMode(rootConfig, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            Assert.Equal(0, Tools.Run("ip", "netns", "add", ns).ExitCode);
            var up = Tools.Run("ip", "netns", "exec", ns, "wg-quick", "up", rootConfig);
            Assert.True(up.ExitCode == 0, up.Stderr);
            Assert.Equal(home.PublicKey, Wg(ns, "show", iface, "public-key"));
            Assert.Equal("51999", Wg(ns, "show", iface, "listen-port"));
            Assert.Contains("10.77.0.1/24", Tools.Run("ip", "-n", ns, "addr", "show", iface).Stdout);

            // A rotation: the peers file gains edge-2, and the default command applies it.
            SecretFile.Write(peers, HomeConfig.Render(home, [edge1, edge2], 51999));
            var apply = new ApplyCommand($"ip netns exec {ns} sh -c '{ApplyCommand.Default}'", iface, TimeProvider.System);
            var applied = await apply.RunAsync(peers, default);

            Assert.True(applied.Ok, applied.Error);
            Assert.Equal(home.PublicKey, Wg(ns, "show", iface, "public-key"));
            Assert.Equal("51999", Wg(ns, "show", iface, "listen-port"));
            Assert.Equal(new[] { edge1.PublicKey, edge2.PublicKey }.Order(), Wg(ns, "show", iface, "peers").Split('\n').Order());
        }
        finally
        {
            Tools.Run("ip", "netns", "exec", ns, "wg-quick", "down", rootConfig);
            Tools.Run("ip", "netns", "del", ns);
            File.Delete($"/var/run/wireguard/{iface}.sock");
        }
    }

    private static string Wg(string ns, params string[] args) => Tools.Run("ip", ["netns", "exec", ns, "wg", .. args]).Stdout.Trim();
}
