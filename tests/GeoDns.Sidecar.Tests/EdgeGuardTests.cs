using System.Diagnostics;
using GeoDns.Testing;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The edge guard (deploy/edge/geodns-edge-guard) for real, in a network namespace of its own: a "home" it checks, an
/// "edge" web server on port 80 that a client reaches, and nft rules in that namespace only.
/// </summary>
public sealed class EdgeGuardTests
{
    /// <summary>The home: accepts connections and appends what each one sent to a file.</summary>
    private const string Home = """
        import socket, sys
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen()
        while True:
            c, _ = s.accept(); c.settimeout(1)
            try: data = c.recv(100)
            except OSError: data = b""
            open(sys.argv[2], "ab").write(data); c.close()
        """;

    [SkippableFact]
    public async Task HomeUnreachable_EdgeRefusesConnections_AcceptsAgainWhenHomeReturns()
    {
        Skip.If(Environment.UserName != "root", "needs root (network namespaces, nft)");
        Skip.If(Executables.Find("nft") is null || Executables.Find("curl") is null, "nftables and curl are needed (.ci/run installs them)");
        var ns = $"gg-guard-{Environment.ProcessId % 100000}";
        using var scratch = new Scratch();
        File.WriteAllText(scratch["home.py"], Home);
        File.WriteAllText(scratch["nginx.conf"], "# geodns-edge-guard: home 127.0.0.1 18600 proxy-protocol\n");
        var started = new List<Process>();
        Process Start(params string[] args)
        {
            var process = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", ns, .. args]) { RedirectStandardOutput = true })!;
            started.Add(process);
            return process;
        }
        bool Tables(out string tables) => (tables = Tools.Run("ip", "netns", "exec", ns, "nft", "list", "tables").Stdout).Contains("geodns_guard");
        int Client() => Tools.Run("ip", "netns", "exec", ns, "curl", "-s", "-o", "/dev/null", "-m", "1", "http://127.0.0.1/").ExitCode;
        Assert.Equal(0, Tools.Run("ip", "netns", "add", ns).ExitCode);
        try
        {
            Tools.Run("ip", "-n", ns, "link", "set", "lo", "up");
            var home = Start("python3", scratch["home.py"], "18600", scratch["home.log"]);
            Start("python3", "-m", "http.server", "80", "--bind", "127.0.0.1", "--directory", scratch.Path);
            var guard = Start("bash", Repository.File("deploy/edge/geodns-edge-guard"), scratch["nginx.conf"]);
            await Eventually.True(() => Client() == 0, "the edge serves while the home answers", pollMs: 200);
            // Passthrough mode: the check speaks the PROXY protocol, so the home's nginx does not log it as a broken header.
            await Eventually.True(() => File.Exists(scratch["home.log"]) && File.ReadAllText(scratch["home.log"]).StartsWith("PROXY UNKNOWN\r\n"), "the check says PROXY UNKNOWN");

            home.Kill();
            await Eventually.True(() => Client() == 7, "the edge refuses connections (curl: 7) once the home is unreachable", TimeSpan.FromSeconds(15), 200);
            Assert.True(Tables(out var tables), tables);

            Start("python3", scratch["home.py"], "18600", scratch["home.log"]);
            await Eventually.True(() => Client() == 0, "the edge serves again once the home answers", TimeSpan.FromSeconds(15), 200);
            Assert.False(Tables(out tables), tables);

            Tools.Run("ip", "netns", "exec", ns, "nft", "add", "table", "inet", "geodns_guard"); // as if refusing when it stops
            guard.Kill(); // SIGKILL: no trap; a SIGTERM removes the table, checked below with a second guard
            var second = Start("bash", Repository.File("deploy/edge/geodns-edge-guard"), scratch["nginx.conf"]);
            await Eventually.True(() => !Tables(out _), "a starting guard removes a table left behind", pollMs: 200);
            Tools.Run("ip", "netns", "exec", ns, "nft", "add", "table", "inet", "geodns_guard");
            Tools.Run("kill", second.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(second.WaitForExit(5_000), "the guard stops on SIGTERM");
            Assert.False(Tables(out tables), tables);
        }
        finally
        {
            foreach (var process in started)
            {
                if (!process.HasExited) process.Kill();
                process.Dispose();
            }
            Tools.Run("ip", "netns", "del", ns);
        }
    }
}
