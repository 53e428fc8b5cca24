using System.Diagnostics;
using System.Text.Json;
using GeoDns.Sidecar.Nginx;
using GeoDns.Testing;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// Tightening an edge under a flood, for real (<see cref="EdgeLab"/>, namespaces tg-*): the built-in templates run by a
/// real nginx, deploy/edge/geodns-edge-signals naming the flood's sources, and deploy/edge/geodns-edge-tighten banning
/// them in nftables, turning on the stricter nginx limits, and loosening by itself when the time is up. On the client's
/// link a flooder (192.0.2.20) and two users (192.0.2.40, 192.0.2.41), outside the test country's 192.0.2.16/28.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EdgeTightenTests
{
    private const string Flooder = EdgeLab.ClientAddress;
    private const string User = "192.0.2.40";
    private const string OtherUser = "192.0.2.41";

    [SkippableFact]
    public async Task Flood_SourcesNameTheFlooder_TightenDropsIt_AndLimitsTheUsers()
    {
        SkipWithoutTools();
        using var lab = EdgeLab.Start(NginxMode.Tls, "tg-", clientAddresses: [User, OtherUser]);
        await Eventually.True(() => lab.SignalsJson() is not null, "the home reads the edge's signals", TimeSpan.FromSeconds(30), 200);

        // The flood (300 requests on one connection) with a user's few in the middle of it: both are in one interval's log.
        using (var flood = Start("ip", ["netns", "exec", lab.Client, "curl", "-sk", "-m", "20", "--interface", Flooder, "--resolve", $"app.example.com:443:{EdgeLab.EdgeAddress}",
            .. Enumerable.Repeat<string[]>(["-o", "/dev/null", "https://app.example.com/"], 300).SelectMany(a => a)]))
        {
            await Task.Delay(150);
            Assert.Equal("200 200 200", lab.Users(3, User));
            Assert.True(flood.WaitForExit(20_000), "the flood ends");
        }
        // Each document holds one interval's: the flood may span two, so what each names is kept (its most per address).
        var most = new Dictionary<string, int>();
        var flooderFirst = false;
        await Eventually.True(() =>
        {
            var sources = Sources(lab) ?? [];
            foreach (var source in sources) most[source.Address] = Math.Max(most.GetValueOrDefault(source.Address), source.Count);
            flooderFirst |= sources is [{ Address: Flooder }, ..];
            return flooderFirst && most.ContainsKey(User) && most.GetValueOrDefault(Flooder) > most[User];
        }, "signals.json's sources name the flooder first, and the user with fewer", TimeSpan.FromSeconds(15), 200);
        Assert.InRange(most[User], 1, 3); // 3, unless an interval ended between them

        // Before: a flood's pace from the user, 120 requests at once, passes the everyday limit (50r/s, burst 200).
        Assert.DoesNotContain("429", lab.Users(120, User));

        var on = Tighten(lab, "on", "60", Flooder);
        Assert.True(on.ExitCode == 0, on.Stderr);
        Assert.Equal(28, Connect(lab, Flooder, "https://app.example.com/")); // dropped: curl waits out its timeout (28), not refused (7)
        Assert.Equal(28, Connect(lab, Flooder, $"http://{EdgeLab.EdgeAddress}/"));
        Assert.Equal("200", lab.Users(1, User));
        Assert.True(File.Exists(Path.Combine(lab.Dir, "tighten", "limits.conf")));
        var dump = Tools.Run("ip", "netns", "exec", lab.Edge, "nginx", "-T", "-c", lab.NginxConf, "-e", Path.Combine(lab.Dir, "error.log"));
        Assert.Contains("limit_req zone=tight burst=50 nodelay;", dump.Stdout);
        // After: the same pace meets the tight limit (10r/s, burst 50) once the reloaded workers serve...
        await Eventually.True(() => lab.Users(120, User).Contains("429", StringComparison.Ordinal), "120 requests at once from the user get 429s", TimeSpan.FromSeconds(10), 500);
        // ...while a page's first load from another address, 40 requests at once, passes whole.
        Assert.DoesNotContain("429", lab.Users(40, OtherUser));

        // Run again (the home does, every ~30 s): the same four rules, the ban's time given again, one watcher.
        var again = Tighten(lab, "on", "120", Flooder, Flooder);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(4, Nft(lab, "list", "chain", "inet", "geodns_tighten", "input").Split('\n').Count(l => l.TrimEnd().EndsWith(" drop", StringComparison.Ordinal)));
        Assert.Contains("192.0.2.20 timeout 2m expires 1m", Nft(lab, "list", "set", "inet", "geodns_tighten", "banned4")); // more than the 60 s before
        await Eventually.True(() => Watchers(lab) == 1, "one expiry watcher runs", TimeSpan.FromSeconds(5), 100);
        var status = Tighten(lab, "status");
        Assert.Contains("limits: on until", status.Stdout);
        Assert.Contains("banned: 1 IPv4 and 0 IPv6 addresses", status.Stdout);

        // Off: the limits go at once; the ban stays for its time.
        Assert.Equal(0, Tighten(lab, "off").ExitCode);
        Assert.False(File.Exists(Path.Combine(lab.Dir, "tighten", "limits.conf")));
        Assert.Contains("limits: off", Tighten(lab, "status").Stdout);
        Assert.Equal(28, Connect(lab, Flooder, "https://app.example.com/"));
    }

    [SkippableFact]
    public async Task BadInput_ChangesNothing_ThenTightensBriefly_ByCountry_AndLoosensByItself()
    {
        SkipWithoutTools();
        using var lab = EdgeLab.Start(NginxMode.Tls, "tg-", clientAddresses: [User]);
        var limits = Path.Combine(lab.Dir, "tighten", "limits.conf");

        foreach (var (args, says) in new[]
        {
            (new[] { "on", "60", "1.2.3.4; flush ruleset" }, "'1.2.3.4; flush ruleset' is not an IPv4 or IPv6 address"),
            (["on", "0", "x"], "SECONDS must be a whole number from 1 to 86400, not '0'"),
            (["on", "86401", Flooder], "not '86401'"),
            (["on", "60", Flooder, "256.1.2.3"], "'256.1.2.3' is not an IPv4 or IPv6 address"),
            (["on", "60", "fe80::1%eth0"], "'fe80::1%eth0' is not an IPv4 or IPv6 address"),
        })
        {
            var refused = Tighten(lab, args);
            Assert.True(refused.ExitCode == 2, $"{string.Join(' ', args)}: {refused.ExitCode} {refused.Stderr}");
            Assert.Contains(says, refused.Stderr);
        }
        Assert.NotEqual(0, Tools.Run("ip", "netns", "exec", lab.Edge, "nft", "list", "table", "inet", "geodns_tighten").ExitCode);
        Assert.False(File.Exists(limits));

        // Two seconds: dropped at once, and after them the watcher loosens the limits and the ban has expired.
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, Tighten(lab, "on", "2", Flooder).ExitCode);
        Assert.True(File.Exists(limits));
        Assert.Equal(28, Connect(lab, Flooder, "https://app.example.com/"));
        await Eventually.True(() => !File.Exists(limits) && Watchers(lab) == 0, "the watcher removes limits.conf and exits", TimeSpan.FromSeconds(8), 100);
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(1), $"loosened after {clock.Elapsed}, before its time (whole seconds) was up");
        Assert.False(File.Exists(Path.Combine(lab.Dir, "tighten", "until")));
        await Eventually.True(() => lab.Users(1, Flooder) == "200", "the ban has expired", TimeSpan.FromSeconds(5), 200);

        // Countries: ZZ's list holds the flooder's /28, YY has none: named, exit 1, and the rest is done all the same.
        Directory.CreateDirectory(Path.Combine(lab.Dir, "countries"));
        File.WriteAllText(Path.Combine(lab.Dir, "countries", "ZZ.cidr"), "# test country\n192.0.2.16/28\n2001:db8:77::/48  # an IPv6 one too\n");
        // Five seconds this time: the checks below (a dropped connect waits out its second) fit well inside, however loaded the machine.
        var countries = TightenWith(lab, new() { ["TIGHTEN_COUNTRIES"] = "zz YY" }, "on", "5");
        Assert.True(File.Exists(limits));
        Assert.Equal(1, countries.ExitCode);
        Assert.Contains($"no list for country YY: {Path.Combine(lab.Dir, "countries", "YY.cidr")} is missing", countries.Stderr);
        Assert.Contains("blocked: 1 IPv4 and 1 IPv6 ranges", Tighten(lab, "status").Stdout);
        Assert.Equal(28, Connect(lab, Flooder, "https://app.example.com/"));
        Assert.Equal("200", lab.Users(1, User));
        await Eventually.True(() => !File.Exists(limits) && lab.Users(1, Flooder) == "200", "the country's block and the limits end by themselves", TimeSpan.FromSeconds(12), 200);
    }

    [SkippableFact]
    public async Task Passthrough_SourcesFromTheStream_TightenLimitsConnections()
    {
        SkipWithoutTools();
        Skip.If(!File.Exists("/usr/lib/nginx/modules/ngx_stream_module.so") && Tools.Run("nginx", "-V").Stderr.Contains("--with-stream=dynamic", StringComparison.Ordinal),
            "nginx's stream module is not installed (libnginx-mod-stream)");
        using var lab = EdgeLab.Start(NginxMode.Passthrough, "tg-", clientAddresses: [User]);
        await Eventually.True(() => lab.SignalsJson() is not null, "the home reads the edge's signals", TimeSpan.FromSeconds(30), 200);
        Assert.Contains("\"responses\":null", lab.SignalsJson());

        // Connections through the stream to the home's plain HTTP: 12 from the flooder, 2 from the user, one at a time.
        var connections = Tools.Run("ip", "netns", "exec", lab.Client, "bash", "-c",
            $"for i in $(seq 12); do curl -s -m 2 -o /dev/null --interface {Flooder} http://{EdgeLab.EdgeAddress}/; done; " +
            $"for i in 1 2; do curl -s -m 2 -o /dev/null --interface {User} http://{EdgeLab.EdgeAddress}/; done");
        Assert.True(connections.ExitCode == 0, connections.Stderr);
        var sources = new Dictionary<string, int>();
        await Eventually.True(() =>
        {
            foreach (var source in Sources(lab) ?? []) sources[source.Address] = Math.Max(sources.GetValueOrDefault(source.Address), source.Count);
            return sources.GetValueOrDefault(Flooder) > sources.GetValueOrDefault(User) && sources.ContainsKey(User);
        }, "the sources name the flooder, with more connections than the user", TimeSpan.FromSeconds(15), 200);

        var on = Tighten(lab, "on", "60", Flooder);
        Assert.True(on.ExitCode == 0, on.Stderr);
        Assert.Contains("limit_conn tight 8;", Tools.Run("ip", "netns", "exec", lab.Edge, "nginx", "-T", "-c", lab.NginxConf, "-e", Path.Combine(lab.Dir, "error.log")).Stdout);
        Assert.Equal(28, Connect(lab, Flooder, $"http://{EdgeLab.EdgeAddress}/"));
        Assert.Equal(0, Connect(lab, User, $"http://{EdgeLab.EdgeAddress}/"));
    }

    private static void SkipWithoutTools()
    {
        Skip.If(Environment.UserName != "root", "needs root (network namespaces, nft)");
        Skip.If(Executables.Find("nginx") is null || Executables.Find("curl") is null || Executables.Find("nft") is null || Executables.Find("ss") is null,
            "nginx, curl, nft and ss are needed (.ci/run installs them)");
    }

    private static (int ExitCode, string Stdout, string Stderr) Tighten(EdgeLab lab, params string[] args) => TightenWith(lab, [], args);

    /// <summary>geodns-edge-tighten in the edge's namespace, its country lists in the lab's countries/.</summary>
    private static (int ExitCode, string Stdout, string Stderr) TightenWith(EdgeLab lab, Dictionary<string, string> environment, params string[] args)
    {
        environment.TryAdd("TIGHTEN_COUNTRY_DIR", Path.Combine(lab.Dir, "countries"));
        return Tools.Run("ip", ["netns", "exec", lab.Edge, "env", .. environment.Select(e => $"{e.Key}={e.Value}"),
            "bash", Repository.File("deploy/edge/geodns-edge-tighten"), lab.NginxConf, .. args]);
    }

    private static string Nft(EdgeLab lab, params string[] args) => Tools.Run("ip", ["netns", "exec", lab.Edge, "nft", .. args]).Stdout;

    /// <summary>curl's exit code for one request from <paramref name="source"/>: 0 answered, 7 refused, 28 timed out (dropped).</summary>
    private static int Connect(EdgeLab lab, string source, string url) =>
        Tools.Run("ip", "netns", "exec", lab.Client, "curl", "-sk", "-o", "/dev/null", "--connect-timeout", "1", "-m", "2", "--interface", source,
            "--resolve", $"app.example.com:443:{EdgeLab.EdgeAddress}", url).ExitCode;

    /// <summary>The expiry watchers running in the edge's namespace.</summary>
    private static int Watchers(EdgeLab lab) =>
        Tools.Run("ip", "netns", "pids", lab.Edge).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Count(pid => File.Exists($"/proc/{pid}/cmdline") && ReadCommandLine(pid) is var line && line.Contains("geodns-edge-tighten", StringComparison.Ordinal) && line.EndsWith(" expire", StringComparison.Ordinal));

    private static string ReadCommandLine(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').TrimEnd();
        }
        catch (IOException)
        {
            return ""; // gone meanwhile
        }
    }

    private sealed record Source(string Address, int Count);

    /// <summary>The sources of the edge's latest signals.json, checked: most first, 10 at most; null while the home cannot read it.</summary>
    private static List<Source>? Sources(EdgeLab lab)
    {
        if (lab.SignalsJson() is not { } json) return null;
        using var document = JsonDocument.Parse(json);
        var sources = document.RootElement.GetProperty("sources");
        Assert.True(sources.ValueKind == JsonValueKind.Array, json); // with a log to read, an array, "[]" for an interval without any
        var list = sources.EnumerateArray().Select(s => new Source(s.GetProperty("address").GetString()!, s.GetProperty("count").GetInt32())).ToList();
        Assert.Equal(list.OrderByDescending(s => s.Count).Select(s => s.Count), list.Select(s => s.Count)); // by count, most first
        Assert.True(list.Count <= 10, json);
        return list;
    }

    private static Process Start(string program, string[] args) =>
        Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
}
