using System.Diagnostics;
using System.Globalization;
using GeoDns.Sidecar.Nginx;
using GeoDns.Sidecar.Signals;
using GeoDns.Testing;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The edge signals for real: the built-in TLS template rendered as for an edge and run by a real nginx, and
/// deploy/edge/geodns-edge-signals beside it, in network namespaces of the test's own: the edge, a client on the
/// edge's public link (192.0.2.0/24), and the home at the far end of a link standing in for the tunnel (10.77.0.0/24),
/// where a second nginx is the home's web server.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EdgeSignalsTests
{
    private const string Edge = "192.0.2.10";
    private const string EdgeTunnel = "10.77.0.10";
    private const string HomeTunnel = "10.77.0.1";

    [SkippableFact]
    public async Task RealRequests_MoveTheCounters_SignalsOnlyForTheHome()
    {
        SkipWithoutTools();
        using var lab = Lab.Start(NginxMode.Tls);
        EdgeSignalsSample? first = null;
        await Eventually.True(() => (first = lab.Sample()) is { Nginx: not null }, "the home reads the edge's signals through the tunnel", TimeSpan.FromSeconds(30), 200);
        var track = new EdgeSignalsTrack(TimeSpan.FromMinutes(30));
        track.Add(first!, DateTimeOffset.UtcNow);

        // A user's requests: 3 pass (rate 5r/s, burst 2), the rest are limit_req's 429; then the home is gone: 502.
        var codes = Users(lab.Client, 8);
        Assert.Contains("200", codes);
        Assert.Contains("429", codes);
        Run("ip", "netns", "exec", lab.Home, "kill", File.ReadAllText(lab.Scratch["home.pid"]).Trim());
        await Eventually.True(() => Users(lab.Client, 1) == "502", "the edge answers 502 once the home's web server is gone", TimeSpan.FromSeconds(15), 200);
        // Half-open connections: the client's ACKs never reach the edge, which holds each in SYN-RECV.
        Run("ip", ["netns", "exec", lab.Client, "nft", "-f", "-"], "table inet sg_syn {\n chain out {\n  type filter hook output priority 0;\n  tcp dport 80 tcp flags & ack == ack drop\n }\n}\n");
        for (var i = 0; i < 3; i++) Tools.Run("ip", "netns", "exec", lab.Client, "curl", "-s", "-m", "1", $"http://{Edge}/");

        EdgeSignalsSample? later = null;
        await Eventually.True(() => (later = lab.Sample()) is { Responses: { Rejected: > 0, ServerError: > 0 }, Tcp.SynRecv: > 0 },
            $"the signals count the 429s, the 502 and the SYN-RECV sockets (last: {later})", TimeSpan.FromSeconds(30), 300);
        Assert.Equal(first!.Run, later!.Run);
        Assert.True(later.Responses!.Success >= 3, $"{later.Responses}");
        Assert.True(later.Nginx!.Requests - first.Nginx!.Requests >= 9, $"{first.Nginx} then {later.Nginx}");
        Assert.True(later.Nginx.Accepted > first.Nginx.Accepted, $"{first.Nginx} then {later.Nginx}");
        Assert.Equal("pub0", later.Net!.Interface); // the default route's, not the tunnel's
        Assert.True(later.Net.ReceivedBytes > first.Net!.ReceivedBytes && later.Net.SentPackets > first.Net.SentPackets, $"{first.Net} then {later.Net}");
        Assert.True(track.Add(later, DateTimeOffset.UtcNow));
        var point = track.Latest!;
        Assert.True(point is { RejectedPerSecond: > 0, ServerErrorsPerSecond: > 0, RequestsPerSecond: > 0, ReceivedBitsPerSecond: > 0, SynRecv: > 0 }, $"{point}");

        // The log of statuses is taken whole each interval: it stays small.
        Assert.True(new FileInfo(Path.Combine(lab.Dir, "geodns-signals.status")).Length < 64, "the status log was not taken");

        // Only the home reads them: from the edge's public link nginx refuses.
        Lab.Read(lab.Client, $"http://{Edge}:{SignalsOptions.DefaultPort}/signals.json", out var outside);
        Lab.Read(lab.Client, $"http://{Edge}:{SignalsOptions.DefaultPort}/nginx-status", out var outsideStatus);
        Assert.Equal(("403", "403"), (outside, outsideStatus));

        // Stopped, the script takes its document with it: the home reads "not found", not old figures.
        lab.StopSignals();
        Lab.Read(lab.Home, $"http://{EdgeTunnel}:{SignalsOptions.DefaultPort}/signals.json", out var stopped);
        Assert.Equal("404", stopped);
    }

    /// <summary>Passthrough: TLS ends at home, so the edge reports connections (the stream module's count in stub_status), bytes and packets, and no responses.</summary>
    [SkippableFact]
    public async Task Passthrough_ConnectionsAndBytes_NoResponses()
    {
        SkipWithoutTools();
        Skip.If(!File.Exists("/usr/lib/nginx/modules/ngx_stream_module.so") && Tools.Run("nginx", "-V").Stderr.Contains("--with-stream=dynamic", StringComparison.Ordinal),
            "nginx's stream module is not installed (libnginx-mod-stream)");
        using var lab = Lab.Start(NginxMode.Passthrough);
        EdgeSignalsSample? first = null;
        await Eventually.True(() => (first = lab.Sample()) is { Nginx: not null }, "the home reads the edge's signals through the tunnel", TimeSpan.FromSeconds(30), 200);

        for (var i = 0; i < 5; i++) Tools.Run("ip", "netns", "exec", lab.Client, "curl", "-s", "-m", "2", "-o", "/dev/null", $"http://{Edge}/"); // to the home's plain HTTP, through the stream

        EdgeSignalsSample? later = null;
        await Eventually.True(() => (later = lab.Sample()) is { Nginx: { } n } && n.Accepted >= first!.Nginx!.Accepted + 5,
            $"the signals count the connections (last: {later})", TimeSpan.FromSeconds(30), 300);
        Assert.Null(later!.Responses);
        Assert.True(later.Net!.ReceivedBytes > first!.Net!.ReceivedBytes, $"{first.Net} then {later.Net}");
    }

    private static void SkipWithoutTools()
    {
        Skip.If(Environment.UserName != "root", "needs root (network namespaces, nft)");
        Skip.If(Executables.Find("nginx") is null || Executables.Find("curl") is null || Executables.Find("nft") is null || Executables.Find("ss") is null,
            "nginx, curl, nft and ss are needed (.ci/run installs them)");
    }

    /// <summary>
    /// The namespaces (sg-sig-*, a random suffix), the home's nginx, the edge's nginx rendered from the built-in template of
    /// <paramref name="mode"/> and the signals script beside it; disposing kills what runs in them by PID and deletes them.
    /// </summary>
    private sealed class Lab : IDisposable
    {
        private Process? _signals;

        private Lab(string id) => (Edge, Client, Home) = ($"sg-sig-e{id}", $"sg-sig-c{id}", $"sg-sig-h{id}");

        public string Edge { get; }
        public string Client { get; }
        public string Home { get; }
        public Scratch Scratch { get; } = new();
        public string Dir => Scratch["edge"];

        public static Lab Start(NginxMode mode)
        {
            var lab = new Lab(Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next()))[..6].ToLowerInvariant());
            try
            {
                File.SetUnixFileMode(lab.Scratch.Path, (UnixFileMode)0b111_101_101); // nginx's workers (www-data) read signals.json in here
                Directory.CreateDirectory(lab.Dir);
                Network(lab.Edge, lab.Client, lab.Home);
                var nginx = Executables.Find("nginx")!;
                Run("ip", "netns", "exec", lab.Home, nginx, "-c", HomeConfig(lab.Scratch), "-e", lab.Scratch["home.error.log"]);
                Run("ip", "netns", "exec", lab.Edge, nginx, "-c", EdgeConfig(lab.Dir, mode), "-e", Path.Combine(lab.Dir, "error.log"));
                lab._signals = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", lab.Edge, "bash", Repository.File("deploy/edge/geodns-edge-signals"), Path.Combine(lab.Dir, "nginx.conf")])
                { RedirectStandardOutput = true, RedirectStandardError = true })!;
                return lab;
            }
            catch
            {
                lab.Dispose();
                throw;
            }
        }

        /// <summary>The edge's signals as the home reads them through the tunnel; null while it cannot.</summary>
        public EdgeSignalsSample? Sample()
        {
            var text = Read(Home, $"http://{EdgeTunnel}:{SignalsOptions.DefaultPort}/signals.json", out var code);
            return code == "200" ? EdgeSignalsSample.Parse(text).Value : null;
        }

        public static string Read(string ns, string url, out string code)
        {
            var got = Tools.Run("ip", "netns", "exec", ns, "curl", "-s", "-m", "2", "-w", "\n%{http_code}", url).Stdout;
            code = got[(got.LastIndexOf('\n') + 1)..];
            return got[..Math.Max(0, got.LastIndexOf('\n'))];
        }

        public void StopSignals()
        {
            Run("kill", _signals!.Id.ToString(CultureInfo.InvariantCulture));
            Assert.True(_signals.WaitForExit(5_000), "the script stops on SIGTERM");
        }

        public void Dispose()
        {
            if (_signals is { HasExited: false }) _signals.Kill();
            _signals?.Dispose();
            foreach (var ns in new[] { Edge, Client, Home })
            {
                // nginx (both), the script, curl: every process started in these namespaces, by their PIDs.
                foreach (var pid in Tools.Run("ip", "netns", "pids", ns).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    Tools.Run("kill", "-KILL", pid);
                Tools.Run("ip", "netns", "del", ns);
            }
            Scratch.Dispose();
        }
    }

    /// <summary>Requests from the client to the edge's HTTPS, back to back on one connection; their status codes.</summary>
    private static string Users(string client, int count) =>
        Tools.Run("ip", ["netns", "exec", client, "curl", "-sk", "-m", "5", "-w", "%{http_code} ", "--resolve", $"app.example.com:443:{Edge}",
            .. Enumerable.Repeat<string[]>(["-o", "/dev/null", "https://app.example.com/"], count).SelectMany(a => a)]).Stdout.Trim();

    private static void Network(string edge, string client, string home)
    {
        foreach (var ns in new[] { edge, client, home })
        {
            Run("ip", "netns", "add", ns);
            Run("ip", "-n", ns, "link", "set", "lo", "up");
        }
        Run("ip", "link", "add", "pub0", "netns", edge, "type", "veth", "peer", "name", "pub0", "netns", client);
        Run("ip", "link", "add", "tun0", "netns", edge, "type", "veth", "peer", "name", "tun0", "netns", home);
        foreach (var (ns, link, address) in new[] { (edge, "pub0", Edge + "/24"), (client, "pub0", "192.0.2.20/24"), (edge, "tun0", EdgeTunnel + "/24"), (home, "tun0", HomeTunnel + "/24") })
        {
            Run("ip", "-n", ns, "addr", "add", address, "dev", link);
            Run("ip", "-n", ns, "link", "set", link, "up");
        }
        Run("ip", "-n", edge, "route", "add", "default", "via", "192.0.2.20");
    }

    /// <summary>The home's web server: 200 for everything, at its tunnel address.</summary>
    private static string HomeConfig(Scratch scratch)
    {
        File.WriteAllText(scratch["home.conf"], $$"""
            pid {{scratch["home.pid"]}};
            error_log {{scratch["home.error.log"]}} warn;
            events { worker_connections 64; }
            http { access_log off; server { listen {{HomeTunnel}}:8081; location / { return 200 "home\n"; } } }
            """);
        return scratch["home.conf"];
    }

    /// <summary>The built-in template as the sidecar renders it (TLS: a low rate, so 429s come soon; signals every second), with its paths in <paramref name="dir"/>.</summary>
    private static string EdgeConfig(string dir, NginxMode mode)
    {
        var certificate = Tools.Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=app.example.com",
            "-keyout", Path.Combine(dir, "privkey.pem"), "-out", Path.Combine(dir, "fullchain.pem"));
        Assert.True(certificate.ExitCode == 0, certificate.Stderr);
        var options = new NginxOptions
        {
            Mode = mode,
            Domains = ["app.example.com"],
            UpstreamPort = 8081,
            Variables = new()
            {
                ["log_dir"] = dir,
                ["pid_file"] = Path.Combine(dir, "nginx.pid"),
                ["certificate"] = Path.Combine(dir, "fullchain.pem"),
                ["certificate_key"] = Path.Combine(dir, "privkey.pem"),
                ["signals_dir"] = Path.Combine(dir, "signals"),
                ["rate"] = "5r/s",
                ["burst"] = "2",
                ["http_port"] = "8081",
            },
        };
        var rendered = NginxTemplate.BuiltIn(mode).Render(options.VariablesFor(HomeTunnel, new SignalsOptions { Interval = TimeSpan.FromSeconds(1) }));
        Assert.True(rendered.Ok, rendered.Error);
        File.WriteAllText(Path.Combine(dir, "nginx.conf"), rendered.Value!);
        return Path.Combine(dir, "nginx.conf");
    }

    private static void Run(string program, params string[] args) => Run(program, args, input: null);

    private static void Run(string program, string[] args, string? input)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardInput = true, RedirectStandardError = true })!;
        if (input is not null) process.StandardInput.Write(input);
        process.StandardInput.Close();
        var errors = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(30_000) && process.ExitCode == 0, $"{program} {string.Join(' ', args)}: {errors}");
    }
}
