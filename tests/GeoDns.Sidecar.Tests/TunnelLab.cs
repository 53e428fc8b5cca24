using System.Diagnostics;
using GeoDns.Sidecar.WireGuard;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// Real WireGuard tunnels (wireguard-go, no kernel module needed) between two network namespaces this test
/// creates, <c>gh2-wgh-*</c> (the home) and <c>gh2-wge-*</c> (the edges), joined by a veth pair on
/// 198.51.100.0/30; tunnel addresses in 192.0.2.0/24. Nothing leaves the namespaces. Disposing stops each
/// wireguard-go by its process and deletes both namespaces (and with them every interface made here).
/// </summary>
public sealed class TunnelLab : IDisposable
{
    private readonly string _id = Guid.NewGuid().ToString("N")[..4];
    private readonly Scratch _scratch;
    private readonly List<Process> _daemons = [];
    private readonly KeyPair _home = KeyPair.GenerateWithNSec();

    public TunnelLab(Scratch scratch)
    {
        _scratch = scratch;
        try
        {
            Run("ip", "netns", "add", Home);
            Run("ip", "netns", "add", Edges);
            Run("ip", "link", "add", $"gh2vh{_id}", "type", "veth", "peer", "name", $"gh2ve{_id}");
            Run("ip", "link", "set", $"gh2vh{_id}", "netns", Home);
            Run("ip", "link", "set", $"gh2ve{_id}", "netns", Edges);
            Run("ip", "-n", Home, "addr", "add", "198.51.100.1/30", "dev", $"gh2vh{_id}");
            Run("ip", "-n", Edges, "addr", "add", "198.51.100.2/30", "dev", $"gh2ve{_id}");
            foreach (var (ns, link) in new[] { (Home, $"gh2vh{_id}"), (Edges, $"gh2ve{_id}"), (Home, "lo"), (Edges, "lo") }) Run("ip", "-n", ns, "link", "set", link, "up");
            Interface(Home, HomeInterface, _home, 51820, "192.0.2.1/24");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Home => $"gh2-wgh-{_id}";
    public string Edges => $"gh2-wge-{_id}";

    /// <summary>wireguard-go's control sockets are machine-wide (/var/run/wireguard): interface names are unique per lab.</summary>
    public string HomeInterface => $"gh2h{_id}";

    /// <summary>The sidecar's tunnel check command for the home interface.</summary>
    public string ShowCommand => $"ip netns exec {Home} wg show {HomeInterface} latest-handshakes";

    /// <summary>Root, wireguard-go, wg and ip: else why not.</summary>
    public static bool Available(out string why)
    {
        why = Environment.UserName != "root" ? "needs root (network namespaces)"
            : Executables.Find("wireguard-go") is null ? "wireguard-go is not installed"
            : Executables.Find("wg") is null ? "wireguard-tools (wg) is not installed"
            : Executables.Find("ip") is null ? "iproute2 (ip) is not installed" : "";
        return why == "";
    }

    /// <summary>A peer of the home interface: an edge at 198.51.100.2:<paramref name="port"/>, keepalive 1 s.</summary>
    public void AddPeer(string publicKey, int port, string tunnelAddress) =>
        Run("ip", "netns", "exec", Home, "wg", "set", HomeInterface, "peer", publicKey, "endpoint", $"198.51.100.2:{port}",
            "allowed-ips", $"{tunnelAddress}/32", "persistent-keepalive", "1");

    /// <summary>An edge's end of a tunnel, listening on <paramref name="port"/>, with the home as its peer.</summary>
    public void StartEdge(string name, KeyPair keys, int port, string tunnelAddress)
    {
        var iface = $"gh2{name}{_id}";
        Interface(Edges, iface, keys, port, $"{tunnelAddress}/32");
        Run("ip", "netns", "exec", Edges, "wg", "set", iface, "peer", _home.PublicKey, "allowed-ips", "192.0.2.1/32");
    }

    /// <summary>Sends one datagram from home through the tunnel, which starts a handshake at once.</summary>
    public void Poke(string tunnelAddress) => Run("ip", "netns", "exec", Home, "bash", "-c", $"echo hi > /dev/udp/{tunnelAddress}/9");

    /// <summary>The real `wg show` output.</summary>
    public string Show() => Run("ip", "netns", "exec", Home, "wg", "show", HomeInterface, "latest-handshakes");

    private void Interface(string ns, string iface, KeyPair keys, int port, string address)
    {
        var daemon = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", ns, "wireguard-go", "-f", iface]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        _daemons.Add(daemon);
        var clock = Stopwatch.StartNew();
        while (!File.Exists($"/var/run/wireguard/{iface}.sock"))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException($"wireguard-go did not make {iface}");
            Thread.Sleep(20);
        }
        var key = _scratch[$"{iface}.key"];
        SecretFile.Write(key, keys.PrivateKey);
        Run("ip", "netns", "exec", ns, "wg", "set", iface, "private-key", key, "listen-port", port.ToString());
        Run("ip", "-n", ns, "addr", "add", address, "dev", iface);
        Run("ip", "-n", ns, "link", "set", iface, "up");
    }

    private static string Run(string program, params string[] args)
    {
        var (code, stdout, stderr) = Tools.Run(program, args);
        if (code != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)}: exit {code}: {stderr.Trim()}");
        return stdout;
    }

    public void Dispose()
    {
        foreach (var daemon in _daemons)
        {
            try { if (!daemon.HasExited) daemon.Kill(); daemon.WaitForExit(5000); }
            catch (InvalidOperationException) { }
            daemon.Dispose();
        }
        foreach (var ns in new[] { Home, Edges }) Tools.Run("ip", "netns", "del", ns);
        foreach (var socket in Directory.Exists("/var/run/wireguard") ? Directory.GetFiles("/var/run/wireguard", $"gh2*{_id}.sock") : []) File.Delete(socket);
    }
}
