using System.Diagnostics;
using System.Globalization;
using GeoDns.Sidecar.Nginx;
using GeoDns.Sidecar.Signals;
using GeoDns.Testing;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// An edge for real, in network namespaces of a test's own (named PREFIX + e, c, h and a random suffix): the edge, running
/// the built-in template of a mode as the sidecar renders it, with deploy/edge/geodns-edge-signals beside it; a client on
/// the edge's public link (192.0.2.0/24, at <see cref="ClientAddress"/> and any more addresses asked for); and the home
/// at the far end of a link standing in for the tunnel (10.77.0.0/24), where a second nginx is the home's web server.
/// Disposing kills what runs in the namespaces by PID and deletes them. EdgeSignalsTests and EdgeTightenTests share it.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class EdgeLab : IDisposable
{
    public const string EdgeAddress = "192.0.2.10";
    public const string ClientAddress = "192.0.2.20";
    public const string EdgeTunnel = "10.77.0.10";
    public const string HomeTunnel = "10.77.0.1";

    private Process? _signals;

    private EdgeLab(string prefix, string id) => (Edge, Client, Home) = ($"{prefix}e{id}", $"{prefix}c{id}", $"{prefix}h{id}");

    public string Edge { get; }
    public string Client { get; }
    public string Home { get; }
    public Scratch Scratch { get; } = new();

    /// <summary>The edge's files: nginx.conf, its logs, signals/, tighten/ (the template's tighten_dir).</summary>
    public string Dir => Scratch["edge"];

    public string NginxConf => Path.Combine(Dir, "nginx.conf");

    /// <summary>
    /// Starts it: <paramref name="variables"/> win over the lab's own (paths in <see cref="Dir"/>, the home on 8081, signals
    /// every second); <paramref name="clientAddresses"/> are more addresses of the client's, e.g. a second user.
    /// </summary>
    public static EdgeLab Start(NginxMode mode, string prefix, Dictionary<string, string>? variables = null, params string[] clientAddresses)
    {
        var lab = new EdgeLab(prefix, Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next()))[..6].ToLowerInvariant());
        try
        {
            File.SetUnixFileMode(lab.Scratch.Path, (UnixFileMode)0b111_101_101); // nginx's workers (www-data) read signals.json in here
            Directory.CreateDirectory(lab.Dir);
            Network(lab.Edge, lab.Client, lab.Home, clientAddresses);
            var nginx = Executables.Find("nginx")!;
            Run("ip", "netns", "exec", lab.Home, nginx, "-c", HomeConfig(lab.Scratch), "-e", lab.Scratch["home.error.log"]);
            Run("ip", "netns", "exec", lab.Edge, nginx, "-c", EdgeConfig(lab.Dir, mode, variables), "-e", Path.Combine(lab.Dir, "error.log"));
            lab._signals = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", lab.Edge, "bash", Repository.File("deploy/edge/geodns-edge-signals"), lab.NginxConf])
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
    public EdgeSignalsSample? Sample() => SignalsJson() is { } text ? EdgeSignalsSample.Parse(text).Value : null;

    /// <summary>The edge's signals.json as the home reads it through the tunnel; null while it cannot.</summary>
    public string? SignalsJson()
    {
        var text = Read(Home, $"http://{EdgeTunnel}:{SignalsOptions.DefaultPort}/signals.json", out var code);
        return code == "200" ? text : null;
    }

    public static string Read(string ns, string url, out string code)
    {
        var got = Tools.Run("ip", "netns", "exec", ns, "curl", "-s", "-m", "2", "-w", "\n%{http_code}", url).Stdout;
        code = got[(got.LastIndexOf('\n') + 1)..];
        return got[..Math.Max(0, got.LastIndexOf('\n'))];
    }

    /// <summary>Requests from the client (from <paramref name="source"/>, else its first address) to the edge's HTTPS, back to back on one connection; their status codes.</summary>
    public string Users(int count, string? source = null) =>
        Tools.Run("ip", ["netns", "exec", Client, "curl", "-sk", "-m", "5", "-w", "%{http_code} ", "--interface", source ?? ClientAddress, "--resolve", $"app.example.com:443:{EdgeAddress}",
            .. Enumerable.Repeat<string[]>(["-o", "/dev/null", "https://app.example.com/"], count).SelectMany(a => a)]).Stdout.Trim();

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
            // nginx (both), the scripts, curl: every process started in these namespaces, by their PIDs.
            foreach (var pid in Tools.Run("ip", "netns", "pids", ns).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                Tools.Run("kill", "-KILL", pid);
            Tools.Run("ip", "netns", "del", ns);
        }
        Scratch.Dispose();
    }

    private static void Network(string edge, string client, string home, string[] clientAddresses)
    {
        foreach (var ns in new[] { edge, client, home })
        {
            Run("ip", "netns", "add", ns);
            Run("ip", "-n", ns, "link", "set", "lo", "up");
        }
        Run("ip", "link", "add", "pub0", "netns", edge, "type", "veth", "peer", "name", "pub0", "netns", client);
        Run("ip", "link", "add", "tun0", "netns", edge, "type", "veth", "peer", "name", "tun0", "netns", home);
        foreach (var (ns, link, address) in new[] { (edge, "pub0", EdgeAddress + "/24"), (client, "pub0", ClientAddress + "/24"), (edge, "tun0", EdgeTunnel + "/24"), (home, "tun0", HomeTunnel + "/24") })
        {
            Run("ip", "-n", ns, "addr", "add", address, "dev", link);
            Run("ip", "-n", ns, "link", "set", link, "up");
        }
        foreach (var address in clientAddresses) Run("ip", "-n", client, "addr", "add", address + "/24", "dev", "pub0");
        Run("ip", "-n", edge, "route", "add", "default", "via", ClientAddress);
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

    /// <summary>The built-in template as the sidecar renders it (signals every second), with its paths in <paramref name="dir"/>.</summary>
    private static string EdgeConfig(string dir, NginxMode mode, Dictionary<string, string>? variables)
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
                ["tighten_dir"] = Path.Combine(dir, "tighten"),
                ["http_port"] = "8081",
            },
        };
        foreach (var (key, value) in variables ?? []) options.Variables[key] = value;
        var rendered = NginxTemplate.BuiltIn(mode).Render(options.VariablesFor(HomeTunnel, new SignalsOptions { Interval = TimeSpan.FromSeconds(1) }));
        Assert.True(rendered.Ok, rendered.Error);
        File.WriteAllText(Path.Combine(dir, "nginx.conf"), rendered.Value!);
        return Path.Combine(dir, "nginx.conf");
    }

    public static void Run(string program, params string[] args) => Run(program, args, input: null);

    public static void Run(string program, string[] args, string? input)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardInput = true, RedirectStandardError = true })!;
        if (input is not null) process.StandardInput.Write(input);
        process.StandardInput.Close();
        var errors = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(30_000) && process.ExitCode == 0, $"{program} {string.Join(' ', args)}: {errors}");
    }
}
