using System.Net.Http.Headers;
using GeoDns.Sidecar.Commands;
using GeoDns.Sidecar.Daemon;
using GeoDns.Sidecar.Firewall;
using Microsoft.Extensions.Logging;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The home's WireGuard firewall: the ruleset in deploy/home parses and says what the guide says, and the
/// sidecar reports it missing (log, status) without refusing to run.
/// </summary>
public sealed class HomeFirewallTests
{
    private static readonly string Ruleset = Repository.File("deploy/home/geodns-home.nft");

    /// <summary>What <c>nft list table inet geodns-home</c> prints for the shipped ruleset, trimmed to the lines the check reads.</summary>
    private const string Listed = """
        table inet geodns-home {
        	chain input {
        		iifname != "wg0" accept
        		ip saddr 10.77.0.10-10.77.0.254 tcp dport 80 accept
        	}
        }
        """;

    [SkippableFact]
    public void Ruleset_ParsesWithNft()
    {
        Skip.If(Executables.Find("nft") is null && !File.Exists("/usr/sbin/nft"), "nftables (nft) is not installed: apt-get install -y nftables (.ci/run does)");
        var nft = Executables.Find("nft") ?? "/usr/sbin/nft";
        // nft -c talks to the kernel even to check; in a fresh network namespace (root) nothing of the machine's is touched.
        var checkedRun = Environment.UserName == "root" && Executables.Find("unshare") is not null
            ? Tools.Run("unshare", "--net", nft, "-c", "-f", Ruleset)
            : Tools.Run(nft, "-c", "-f", Ruleset);
        Skip.If(Environment.UserName != "root" && checkedRun.Stderr.Contains("Operation not permitted", StringComparison.Ordinal), "nft -c needs CAP_NET_ADMIN here: run as root");
        Assert.True(checkedRun.ExitCode == 0, $"nft -c -f {Ruleset}: {checkedRun.Stdout}{checkedRun.Stderr}");
    }

    [SkippableFact]
    public void Ruleset_Loaded_ListsWhatTheSidecarChecks()
    {
        Skip.If(Environment.UserName != "root" || Executables.Find("unshare") is null || !File.Exists("/usr/sbin/nft"), "needs root, unshare and /usr/sbin/nft (CI has them)");
        // Loaded twice (idempotent: the file replaces only its own table), then listed as the sidecar's default lists it.
        var listed = Tools.Run("unshare", "--net", "sh", "-c", $"nft -f '{Ruleset}' && nft -f '{Ruleset}' && {HomeFirewall.DefaultCommand}");

        Assert.True(listed.ExitCode == 0, listed.Stderr);
        Assert.Contains("iifname != \"wg0\" accept", listed.Stdout);
        Assert.Contains("ct state established,related accept", listed.Stdout);
        Assert.Contains("ip saddr 10.77.0.10-10.77.0.254 tcp dport 80 accept", listed.Stdout);
        Assert.Contains("ip saddr 10.77.0.2-10.77.0.9 counter packets 0 bytes 0 drop", listed.Stdout);
        Assert.Contains("iifname \"wg0\" counter packets 0 bytes 0 drop", listed.Stdout); // forward
        Assert.True(HomeFirewall.CheckAsync($"printf '%s' '{listed.Stdout.Replace("'", "'\\''", StringComparison.Ordinal)}'", "wg0", 80, TimeProvider.System, default).Result.Loaded);
    }

    [Fact]
    public void Guide_InstallsRootOwnedInterfaceAndRuleset_NeverLinksTheSidecarsFile()
    {
        // By hand (docs/manual-install.md) from the repository's files; the short path (docs/deployment.md) from the package's copies.
        var manual = File.ReadAllText(Repository.File("docs/manual-install.md"));
        var guide = File.ReadAllText(Repository.File("docs/deployment.md"));

        Assert.Contains("install -m 600 deploy/home/wg0.conf /etc/wireguard/wg0.conf", manual);
        Assert.Contains("install -m 600 /usr/share/geodns-sidecar/wg0.conf /etc/wireguard/wg0.conf", guide);
        Assert.Contains("install -m 644 /usr/share/geodns-sidecar/geodns-home.nft /etc/geodns/geodns-home.nft", guide);
        Assert.Contains("install -m 644 deploy/home/geodns-home.nft /etc/geodns/geodns-home.nft", manual);
        foreach (var page in new[] { guide, manual })
        {
            Assert.Contains("include \"/etc/geodns/geodns-home.nft\"' >>/etc/nftables.conf", page);
            Assert.Contains("nft -f /etc/geodns/geodns-home.nft", page);
        }
        Assert.DoesNotContain("ln -sf /var/lib/geodns-sidecar", guide + manual);
        // Both guides say what a compromised edge still learns (the home's address, from WireGuard) and what limits
        // it (the firewall: the web port only), at the step that installs the tunnel and the ruleset.
        foreach (var (name, page) in new[] { ("docs/manual-install.md", manual), ("docs/deployment.md", Section(guide, "## 4. ")) })
        {
            Assert.True(page.Contains("What a compromised edge still learns", StringComparison.Ordinal), $"{name}: what a compromised edge still learns");
            Assert.True(page.Contains("the home's public address, from WireGuard", StringComparison.Ordinal), $"{name}: the home's public address, from WireGuard");
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(page, @"home's\s+web\s+port"), $"{name}: the firewall leaves the edges the web port only");
        }
        // The root-owned interface config's one hook reads the sidecar's file with wg, which runs nothing from it.
        var hooks = File.ReadAllLines(Repository.File("deploy/home/wg0.conf")).Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s*(Pre|Post)(Up|Down)\s*=")).ToList();
        Assert.Equal(["PostUp = wg syncconf %i /var/lib/geodns-sidecar/wireguard/%i.peers"], hooks);
    }

    /// <summary>The guide's section starting with the heading <paramref name="heading"/>, up to the next section.</summary>
    private static string Section(string page, string heading)
    {
        var start = page.IndexOf("\n" + heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section '{heading}'");
        var end = page.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? page[start..] : page[start..end];
    }

    [Theory]
    [InlineData("exit 1", "wg0", 80, "failed (exit 1): the ruleset is not loaded")]
    [InlineData("echo 'Error: No such file or directory' >&2; exit 1", "wg0", 80, "failed (exit 1: Error: No such file or directory)")]
    [InlineData("cat <<'T'\n" + Listed + "\nT", "glhome", 80, "does not name the interface \"glhome\"")]
    [InlineData("cat <<'T'\n" + Listed + "\nT", "wg0", 443, "accepts no tcp dport 443")]
    public async Task Check_Missing_SaysWhyAndWhatToDo(string command, string interfaceName, int webPort, string why)
    {
        var state = await HomeFirewall.CheckAsync(command, interfaceName, webPort, TimeProvider.System, default);

        Assert.False(state.Loaded);
        Assert.True(state.Checked);
        Assert.Contains(why, state.Detail);
        Assert.Contains("deploy/home/geodns-home.nft", state.Detail);
        Assert.StartsWith("Firewall: ERROR: ", state.Line);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(443)]
    public async Task Check_TableForTheInterfaceAndPort_Loaded(int webPort)
    {
        var listed = Listed.Replace("dport 80", "dport { 80, 443 }", StringComparison.Ordinal);
        var state = await HomeFirewall.CheckAsync($"cat <<'T'\n{listed}\nT", "wg0", webPort, TimeProvider.System, default);

        Assert.True(state.Loaded, state.Detail);
        Assert.StartsWith("Firewall: loaded", state.Line);
    }

    [Fact]
    public async Task Check_EmptyCommand_NotChecked()
    {
        var state = await HomeFirewall.CheckAsync("", "wg0", 80, TimeProvider.System, default);

        Assert.False(state.Checked);
        Assert.Equal("Firewall: not checked (firewallCheck is empty)", state.Line);
        Assert.Equal("/usr/sbin/nft list table inet geodns-home", new SidecarOptions().FirewallCheck);
    }

    [Fact]
    public async Task Daemon_FirewallMissing_LogsErrorAndRunsOn_StatusShowsIt()
    {
        using var sidecar = FakeSidecar.Create(o => o.FirewallCheck = "echo 'Error: No such file or directory' >&2; exit 1");
        var logs = new LineLogger();
        using var stop = new CancellationTokenSource();
        var daemon = new SidecarDaemon(sidecar.Session, logs);
        var running = daemon.RunAsync(stop.Token);

        // It listens all the same: the firewall is checked before, and its absence stops nothing.
        using var http = new HttpClient { BaseAddress = new Uri(await daemon.Address.WaitAsync(TimeSpan.FromSeconds(10))) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sidecar-token");
        Assert.True((await http.GetAsync("/v1/rotations")).IsSuccessStatusCode);
        Assert.False(daemon.Firewall!.Loaded);
        Assert.Contains(logs.Snapshot(), l => l.StartsWith("Error: Home firewall missing: ", StringComparison.Ordinal) && l.Contains("Error: No such file or directory", StringComparison.Ordinal));

        var status = new StringWriter();
        StatusCommand.Run(sidecar.Session, status, daemon.Firewall);
        Assert.StartsWith("Firewall: ERROR: ", status.ToString());
        stop.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Keeps "Level: message" lines, for asserting what the daemon said.</summary>
    private sealed class LineLogger : ILoggerFactory, ILogger
    {
        private readonly List<string> _lines = [];

        public string[] Snapshot()
        {
            lock (_lines) return [.. _lines];
        }

        public ILogger CreateLogger(string categoryName) => this;
        public void AddProvider(ILoggerProvider provider) { }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines) _lines.Add($"{logLevel}: {formatter(state, exception)}");
        }

        public void Dispose() { }
    }
}
