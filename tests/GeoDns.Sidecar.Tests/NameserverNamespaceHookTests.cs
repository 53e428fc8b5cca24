using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using GeoDns.Testing;
using Xunit.Abstractions;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The lab's nameserver hooks (deploy/hooks/netns: create.sh with a pinned address, provision-nameserver.sh,
/// destroy.sh) for real, as root: the real server, from the geodns .deb that build-deb.sh packs from the shared
/// publish, in a namespace the hooks make on a bridge of this test's own (namespace hk-net-ID, 192.0.2.200/24),
/// asked with dig from the bridge's namespace. Nothing leaves these namespaces; the end runs destroy.sh and
/// deletes the bridge's namespace, which stops everything the hooks started in them.
/// Opt-in (GEODNS_NETNS_HOOK_TEST=1): it takes about a minute beyond the shared publish (build-deb.sh packs both packages,
/// about 25 s on an idle 2-core machine; the server starts three times, about 5 s each until it answers), and the lab,
/// which runs these hooks too, is the default run's check of them.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // network namespaces, nft, dpkg-deb: Linux only
public sealed class NameserverNamespaceHookTests(ITestOutputHelper output)
{
    private const string Address = "192.0.2.201";
    private const string TunnelAddress = "10.199.0.2";
    private const string Token = "hk-admin-token-0123456789abcdefghijklmnop";
    private const string OptIn = "GEODNS_NETNS_HOOK_TEST";
    private readonly string _id = Guid.NewGuid().ToString("N")[..4];

    private string Name => $"hk-{_id}";
    private string Namespace => $"gl-{Name}";
    private string BridgeNamespace => $"hk-net-{_id}";

    [SkippableFact]
    public async Task CreatePinned_Provision_Answers_RunAgainRestarts_AnotherPackageSwitches_DestroyStopsAll()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable(OptIn) == "1", $"takes about a minute: {OptIn}=1 dotnet test --filter NameserverNamespaceHookTests");
        Skip.If(Environment.UserName != "root", "needs root (network namespaces, nft, WireGuard)");
        Skip.If(new[] { "ip", "nft", "wg", "wg-quick", "dpkg-deb", "dig", "curl", "setsid" }.Any(t => Executables.Find(t) is null)
            || (Executables.Find("wireguard-go") is null && !File.Exists("/sys/module/wireguard/version")),
            "needs iproute2, nftables, wireguard-tools with wireguard-go or the kernel module, dpkg-deb, dig and curl (.ci/run installs them)");
        using var scratch = new Scratch();
        var (rid, arch) = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? ("linux-arm64", "arm64") : ("linux-x64", "amd64");
        var published = await PublishedPrograms.DirectoryAsync(rid);
        var clock = Stopwatch.StartNew();

        // The package as build-deb.sh packs it, and another version of it (the same programs, the version changed:
        // a rollback's or an upgrade's package is another file), packed uncompressed, which is quicker.
        var built = await Script.RunAsync(Repository.File("deploy/package/build-deb.sh"), ["--rid", rid, "--version", "0.9.0~ns1", "--published", published, scratch["debs"]], TimeSpan.FromMinutes(3));
        Assert.True(built.ExitCode == 0, built.Describe());
        var v1 = scratch[$"debs/geodns_0.9.0~ns1_{arch}.deb"];
        var v2 = scratch[$"debs/geodns_0.9.1~ns2_{arch}.deb"];
        Run("dpkg-deb", "-R", v1, scratch["repack"]);
        File.WriteAllText(scratch["repack/DEBIAN/control"], File.ReadAllText(scratch["repack/DEBIAN/control"]).Replace("Version: 0.9.0~ns1", "Version: 0.9.1~ns2"));
        Run("dpkg-deb", "--root-owner-group", "-Znone", "-b", scratch["repack"], v2);
        output.WriteLine($"packages built: {clock.Elapsed.TotalSeconds:0.0} s");

        WriteBundle(scratch, withOldZone: true);
        File.WriteAllText(scratch["wg0.conf"], $"[Interface]\nAddress = {TunnelAddress}/24\nListenPort = 51820\nPrivateKey = {Tools.Run("wg", "genkey").Stdout.Trim()}\n");
        new MmdbWriter("GeoDns-Test-Country").Insert("192.0.2.0/24", MmdbRecords.CountryCode("DE")).WriteTo(scratch["geo.mmdb"]);
        File.WriteAllText(scratch["ca.pem"], "");
        var state = scratch["state"];
        var environment = new Dictionary<string, string>
        {
            ["EDGE_NAME"] = Name,
            ["EDGE_ROLE"] = "nameserver",
            ["EDGE_COUNTRY"] = "DE",
            ["EDGE_IPV4"] = Address,
            ["EDGE_TUNNEL"] = TunnelAddress,
            ["NETNS_STATE"] = state,
            ["NETNS_BRIDGE_NS"] = BridgeNamespace,
            ["NETNS_BRIDGE"] = "hk-br0",
            // Edges would count up in another /24: the pinned nameserver gets a route there.
            ["NETNS_PREFIX"] = "198.51.100.",
            ["NETNS_ADDRESSES"] = $"hk-other=192.0.2.209 {Name}={Address}",
            ["NS_FILES"] = scratch["bundle"],
            ["NS_WG_CONF"] = scratch["wg0.conf"],
            ["NS_PACKAGE"] = v1,
            ["NETNS_GEO_DB"] = scratch["geo.mmdb"],
            ["NETNS_CA_FILE"] = scratch["ca.pem"],
        };

        Run("ip", "netns", "add", BridgeNamespace);
        try
        {
            Run("ip", "-n", BridgeNamespace, "link", "add", "hk-br0", "type", "bridge");
            Run("ip", "-n", BridgeNamespace, "addr", "add", "192.0.2.200/24", "dev", "hk-br0");
            Run("ip", "-n", BridgeNamespace, "link", "set", "hk-br0", "up");
            clock.Restart();

            var created = await HookAsync("create", environment);
            Assert.Contains($"\"ipv4\": \"{Address}\"", created.Stdout);
            Assert.Equal(created.Stdout, (await HookAsync("create", environment)).Stdout); // run again: the same
            var routes = Run("ip", "-n", Namespace, "route");
            Assert.Contains($"192.0.2.0/24 dev eth0 proto kernel scope link src {Address}", routes);
            Assert.Contains("198.51.100.0/24 dev eth0", routes);

            await HookAsync("provision-nameserver", environment);
            await AnswersAsync();
            var first = Pid(state);
            Assert.Equal($"ns1.hk.example. hostmaster.hk.example. 1 3600 600 1209600 60", Dig("hk.example", "SOA"));
            Assert.Equal(Address, Dig("ns1.hk.example", "A", tcp: true));
            Assert.Equal(Address, Dig("ns1.old.example", "A"));
            Assert.Contains("status: REFUSED", Dig("edge.example.com", "SOA", full: true)); // the package's example zone is not served
            // The admin endpoint on the tunnel's address, as the sidecar reads it.
            var health = await HealthAsync();
            Assert.Equal("ready", health.GetProperty("status").GetString());
            Assert.Equal(Run($"{published}/server/GeoDns.Server", "--version").Trim(), $"geodns {health.GetProperty("version").GetString()}");
            Assert.Contains($"{TunnelAddress}/24", Run("ip", "-n", Namespace, "addr", "show", $"gln-{Name}"));
            var firewall = Run("ip", "netns", "exec", Namespace, "nft", "list", "table", "inet", "gl_ns");
            Assert.Contains("meta l4proto { tcp, udp } th dport 53 accept", firewall);
            Assert.Contains($"iifname \"gln-{Name}\" tcp dport 8053 accept", firewall);
            var work = $"{state}/{Name}/geodns";
            Assert.Equal(["admin.token 600", "geodns.json 644", "xfr.key 600", "zones/hk.example.zone 644", "zones/old.example.zone 644"],
                Directory.GetFiles(work, "*", SearchOption.AllDirectories).Order().Select(f => $"{Path.GetRelativePath(work, f)} {Convert.ToString((int)File.GetUnixFileMode(f), 8)}"));
            Assert.Equal(File.ReadAllBytes(scratch["geo.mmdb"]), File.ReadAllBytes($"{state}/{Name}/data/geo-whois-asn-country.mmdb"));
            Assert.DoesNotContain("Geo off", File.ReadAllText($"{state}/{Name}/log/geodns.log"));
            Assert.Contains($"SSL_CERT_FILE={scratch["ca.pem"]}\0", File.ReadAllText($"/proc/{first}/environ"));
            File.WriteAllText($"{state}/{Name}/data/kept", "");
            output.WriteLine($"created and provisioned: {clock.Elapsed.TotalSeconds:0.0} s");

            // Run again with the same package and a bundle without a zone: a new server, the zone gone.
            WriteBundle(scratch, withOldZone: false);
            await HookAsync("provision-nameserver", environment);
            var second = Pid(state);
            Assert.NotEqual(first, second);
            Assert.False(Alive(first), $"the first server ({first}) still runs");
            await AnswersAsync();
            Assert.Contains("status: REFUSED", Dig("old.example", "SOA", full: true));
            Assert.False(File.Exists($"{work}/zones/old.example.zone"));

            // Another package: the server runs from its files, the earlier ones are gone, the data stays.
            environment["NS_PACKAGE"] = v2;
            await HookAsync("provision-nameserver", environment);
            var third = Pid(state);
            Assert.False(Alive(second), $"the second server ({second}) still runs");
            var root = Assert.Single(Directory.GetDirectories($"{state}/{Name}", "root.*"));
            Assert.Equal($"{root}/opt/geodns/GeoDns.Server", new FileInfo($"/proc/{third}/exe").LinkTarget);
            Assert.True(File.Exists($"{state}/{Name}/data/kept"), "the data directory was replaced");
            await AnswersAsync();
            output.WriteLine($"provisioned twice more: {clock.Elapsed.TotalSeconds:0.0} s");

            await HookAsync("destroy", environment);
            Assert.False(File.Exists($"/run/netns/{Namespace}"));
            Assert.False(Alive(third), $"the server ({third}) still runs");
            Assert.False(WireGuardGoRuns($"gln-{Name}"), $"wireguard-go gln-{Name} still runs");
            Assert.False(File.Exists($"/var/run/wireguard/gln-{Name}.sock"));
            Assert.Empty(Directory.GetDirectories($"{state}/{Name}", "root.*"));
            output.WriteLine($"destroyed: {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            // Run again (it may have failed before), then the bridge's own namespace.
            await Script.RunAsync(Repository.File("deploy/hooks/netns/destroy.sh"), [], TimeSpan.FromSeconds(30), environment: environment);
            Tools.Run("ip", "netns", "del", BridgeNamespace);
        }
    }

    /// <summary>The sidecar's bundle as NameserverBundle renders it for a nameserver holding the zone, with transfers.</summary>
    private static void WriteBundle(Scratch scratch, bool withOldZone)
    {
        if (Directory.Exists(scratch["bundle"])) Directory.Delete(scratch["bundle"], recursive: true);
        Directory.CreateDirectory(scratch["bundle/zones"]);
        File.WriteAllText(scratch["bundle/geodns.json"], $$"""
            {
              "listen": [ "{{Address}}:53" ],
              "zones": "zones",
              "admin": "{{TunnelAddress}}:8053",
              "adminTokenFile": "admin.token",
              "pools": [ { "name": "app.hk.example", "edges": [] } ],
              "exchange": { "keyFiles": [ "xfr.key" ] }
            }
            """);
        File.WriteAllText(scratch["bundle/admin.token"], Token + "\n");
        File.WriteAllText(scratch["bundle/xfr.key"], "key \"xfr\" {\n\talgorithm hmac-sha256;\n\tsecret \"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=\";\n};\n");
        foreach (var zone in withOldZone ? new[] { "hk.example", "old.example" } : ["hk.example"])
            File.WriteAllText(scratch[$"bundle/zones/{zone}.zone"], $"$ORIGIN {zone}.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 60\n@ IN NS ns1\nns1 IN A {Address}\n");
    }

    private async Task<Script.Result> HookAsync(string hook, Dictionary<string, string> environment)
    {
        var result = await Script.RunAsync(Repository.File($"deploy/hooks/netns/{hook}.sh"), [], TimeSpan.FromSeconds(60), environment: environment);
        Assert.True(result.ExitCode == 0, $"{hook}: {result.Describe()}");
        return result;
    }

    /// <summary>dig from the bridge's namespace, as a resolver on the network asks.</summary>
    private string Dig(string name, string type, bool tcp = false, bool full = false) =>
        Tools.Run("ip", ["netns", "exec", BridgeNamespace, "dig", "+norec", "+time=1", "+tries=1", tcp ? "+tcp" : "+notcp", .. full ? Array.Empty<string>() : ["+short"], $"@{Address}", name, type]).Stdout.Trim();

    private Task AnswersAsync() =>
        Eventually.True(() => Dig("hk.example", "SOA").StartsWith("ns1.hk.example.", StringComparison.Ordinal), $"the server answers on {Address}", TimeSpan.FromSeconds(30), 200);

    private async Task<JsonElement> HealthAsync()
    {
        var reply = "";
        await Eventually.True(() => (reply = Tools.Run("ip", "netns", "exec", Namespace, "curl", "-s", "-m", "2", "-H", $"Authorization: Bearer {Token}",
            $"http://{TunnelAddress}:8053/healthz").Stdout).Contains("\"status\"", StringComparison.Ordinal), "/healthz answers on the tunnel's address", TimeSpan.FromSeconds(30), 200);
        return JsonDocument.Parse(reply).RootElement;
    }

    private static int Pid(string state) => int.Parse(File.ReadAllText(Directory.GetFiles(state, "geodns.pid", SearchOption.AllDirectories).Single()).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Runs, and has not exited (a process that has exited waits, a zombie, until its parent reaps it).</summary>
    private static bool Alive(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1][0] != 'Z'; }
        catch (IOException) { return false; }
    }

    private static bool WireGuardGoRuns(string iface) =>
        Directory.GetDirectories("/proc").Any(p =>
        {
            try { return File.ReadAllText($"{p}/cmdline") == $"wireguard-go\0{iface}\0"; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        });

    private static string Run(string program, params string[] args)
    {
        var (code, stdout, stderr) = Tools.Run(program, args);
        Assert.True(code == 0, $"{program} {string.Join(' ', args)}: exit {code}: {stderr.Trim()}");
        return stdout;
    }
}
