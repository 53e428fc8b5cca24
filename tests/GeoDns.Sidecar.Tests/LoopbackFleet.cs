using System.Net;
using System.Runtime.InteropServices;
using GeoDns.Sidecar.Tests.Delegation;
using GeoDns.Sidecar.WireGuard;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// A fleet on loopback for bootstrap, upgrade and rotate: a real Knot parent taking RFC 2136 updates, the geodns .deb of
/// this checkout, and a sidecar.json whose hooks are deploy/hooks/local (nameservers run from the unpacked package),
/// with two nameservers listed by country and one edge. The tunnel network is a loopback block, so the nameservers'
/// admin endpoints on their tunnel addresses are reachable without WireGuard. Disposing stops every server and listener.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the hooks are bash
public sealed class LoopbackFleet : IDisposable
{
    private const string Secret = "2Ln8Ywx9r1Ua0ZpVJg2a1oJXl6mZrBz6c2n7lq3m1wQ=";
    private readonly KnotParent _parent;

    private LoopbackFleet(Scratch scratch, LocalProvider provider, KnotParent parent, string package)
    {
        (Scratch, Provider, _parent, Package) = (scratch, provider, parent, package);
    }

    public static string? Missing => new[] { "knotd", "nsupdate", "dig", "dpkg-deb" }.FirstOrDefault(t => Executables.Find(t) is null) is { } tool
        ? $"needs {tool} (apt-get install knot bind9-dnsutils dpkg)" : null;

    public Scratch Scratch { get; }
    public LocalProvider Provider { get; }
    public KnotParent Parent => _parent;
    public string Package { get; }
    public int DnsPort { get; private set; }
    public string Ns1 => Provider.Prefix + "100";
    public string Ns2 => Provider.Prefix + "101";
    public string Edge1 => Provider.Prefix + "102";
    public string Config => Scratch["sidecar.json"];

    public static async Task<LoopbackFleet> CreateAsync()
    {
        var scratch = new Scratch();
        var provider = new LocalProvider(scratch);
        File.WriteAllText(scratch["parent.key"], $"key \"parent\" {{\n\talgorithm hmac-sha256;\n\tsecret \"{Secret}\";\n}};\n");
        var parent = new KnotParent(scratch["knot"], "example.com", """
            $ORIGIN example.com.
            $TTL 300
            @    IN SOA ns.example.com. hostmaster 1 3600 600 1209600 60
                 IN NS  ns
            ns   IN A   127.0.0.1
            """, "parent", Secret);
        await parent.ReadyAsync();
        var fleet = new LoopbackFleet(scratch, provider, parent, await Shared.Value);
        fleet.WriteConfig();
        return fleet;
    }

    /// <summary>
    /// The package every fleet starts from, packed once per test run (a pack takes seconds); removed when the process ends.
    /// A test that changes packages packs its own (<see cref="BuildPackageAsync"/>).
    /// </summary>
    private static readonly Lazy<Task<string>> Shared = new(() =>
    {
        var directory = Directory.CreateTempSubdirectory("geodns-fleet-deb-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(directory, recursive: true); } catch (IOException) { } };
        return BuildPackageAsync(directory);
    });

    /// <summary>The geodns .deb of this checkout, as build-deb.sh packs the shared publish into <paramref name="directory"/>: named for <paramref name="version"/>, by default the one the server reports.</summary>
    public static async Task<string> BuildPackageAsync(string directory, string? version = null)
    {
        var (rid, arch) = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? ("linux-arm64", "arm64") : ("linux-x64", "amd64");
        var published = await PublishedPrograms.DirectoryAsync(rid);
        string[] args = version is null ? ["--rid", rid, "--published", published, directory] : ["--rid", rid, "--version", version, "--published", published, directory];
        var built = await Script.RunAsync(Repository.File("deploy/package/build-deb.sh"), args, TimeSpan.FromMinutes(3));
        Assert.True(built.ExitCode == 0, built.Describe());
        return Directory.GetFiles(directory, $"geodns_*_{arch}.deb").Single();
    }

    /// <summary>
    /// A package named for <paramref name="version"/> whose server exits 1 as it starts (a build that crashes at start):
    /// the local provisionNameserver hook fails on it, as <c>systemctl restart</c> of the Type=notify unit does on a VPS.
    /// </summary>
    public static async Task<string> CrashingPackageAsync(string directory, string version)
    {
        var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64";
        var root = Path.Combine(directory, "root");
        Directory.CreateDirectory(Path.Combine(root, "DEBIAN"));
        Directory.CreateDirectory(Path.Combine(root, "opt/geodns"));
        File.WriteAllText(Path.Combine(root, "DEBIAN/control"), $"Package: geodns\nVersion: {version}\nArchitecture: {arch}\nMaintainer: test <test@example.com>\nDescription: crashes at start\n");
        var server = Path.Combine(root, "opt/geodns/GeoDns.Server");
        File.WriteAllText(server, "#!/bin/sh\necho 'Unhandled exception: the build is broken' >&2\nexit 1\n");
        File.SetUnixFileMode(server, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var deb = Path.Combine(directory, $"geodns_{version}_{arch}.deb");
        var built = await Script.RunAsync("dpkg-deb", ["--root-owner-group", "--build", root, deb], TimeSpan.FromMinutes(1));
        Assert.True(built.ExitCode == 0, built.Describe());
        return deb;
    }

    private void WriteConfig()
    {
        var tunnel = $"127.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(1, 250)}.";
        DnsPort = NginxProcess.FreePort(IPAddress.Parse(Ns1));
        var adminPort = NginxProcess.FreePort(IPAddress.Parse(tunnel + "2"));
        File.WriteAllText(Scratch["admin.token"], "fleet-bootstrap-admin-token");
        File.WriteAllText(Config, $$"""
            {
              "pool": "app.edge.example.com",
              "adminTokenFile": "{{Scratch["admin.token"]}}",
              "tunnelNetwork": "{{tunnel}}0/24",
              "apply": "",
              "firewallCheck": "",
              "wireguardDir": "{{Scratch["wireguard"]}}",
              "data": "{{Scratch["data"]}}",
              "hooks": {
                "create": "{{LocalProvider.Hook("create")}}",
                "provision": "{{LocalProvider.Hook("provision")}}",
                "destroy": "{{LocalProvider.Hook("destroy")}}",
                "provisionNameserver": "{{LocalProvider.Hook("provision-nameserver")}}",
                "delegate": "{{Repository.File("deploy/hooks/rfc2136/delegate.sh")}}",
                "timeout": "1m",
                "environment": { {{string.Join(", ", Environment.Select(kv => $"\"{kv.Key}\": \"{kv.Value}\""))}},
                                 "RFC2136_SERVER": "127.0.0.1:{{_parent.Port}}", "RFC2136_KEY_FILE": "{{Scratch["parent.key"]}}" }
              },
              "rotation": { "pollInterval": "200ms", "upTimeout": "30s", "retries": 1, "retryDelay": "100ms", "poolTtl": "1s", "drainMargin": "500ms" },
              "check": { "parents": [ "127.0.0.1:{{_parent.Port}}" ] },
              "fleet": {
                "zone": "edge.example.com",
                "package": "{{Package}}",
                "dnsPort": {{DnsPort}},
                "adminPort": {{adminPort}},
                "readyTimeout": "60s",
                "delegationTimeout": "30s",
                "nameservers": [ { "name": "ns1", "country": "DE" }, { "name": "ns2", "country": "SG" } ],
                "pool": { "ttl": 5, "probe": { "type": "tcp", "port": {{Provider.Port}}, "interval": "1s", "timeout": "500ms" } }
              },
              "edges": [ { "name": "edge-1", "country": "DE" } ]
            }
            """);
    }

    /// <summary>
    /// The local provider's variables, its edges living 15 minutes instead of 2: a test that bootstraps, upgrades twice
    /// and provisions the edge again outlives 2 minutes on a loaded machine, and its edge would exit by itself. Disposing
    /// stops them sooner anyway.
    /// </summary>
    private Dictionary<string, string> Environment => new(Provider.Environment) { ["LOCAL_EDGE_LIFETIME"] = "900" };

    /// <summary>Opens a session on the fleet's config and state, runs <paramref name="command"/> with it, and returns its exit code and output.</summary>
    public async Task<(int Code, string Output)> RunAsync(Func<SidecarSession, TextWriter, Task<int>> command)
    {
        var options = SidecarOptions.Load(Config, out var error);
        Assert.True(options is not null, error);
        var opened = SidecarSession.Open(options, TimeProvider.System, NullLoggerFactory.Instance);
        Assert.True(opened.Ok, opened.Error);
        using var session = opened.Value!;
        session.GenerateKeys = KeyPair.GenerateWithNSec;
        var output = new StringWriter();
        var code = await command(session, output);
        return (code, output.ToString());
    }

    public async Task<string> DigAsync(string server, string name, string type)
    {
        var dig = await Script.RunAsync("dig", [$"@{server}", "-p", DnsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "+norec", "+time=1", "+tries=1", name, type], TimeSpan.FromSeconds(10));
        return dig.Stdout;
    }

    public void Dispose()
    {
        // Stops every server and listener, by the pids the hooks wrote.
        foreach (var name in Directory.GetFiles(Provider.State, "*.json").Select(Path.GetFileNameWithoutExtension))
            _ = Script.RunAsync(LocalProvider.Hook("destroy"), [], TimeSpan.FromSeconds(15), environment: new Dictionary<string, string>(Provider.Environment) { ["EDGE_NAME"] = name! }).Result;
        _parent.Dispose();
        Provider.Dispose();
        Scratch.Dispose();
    }
}
