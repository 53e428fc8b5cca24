using System.Text.RegularExpressions;
using GeoDns.Pools;
using GeoDns.Protocol;
using GeoDns.Server;
using GeoDns.Zones;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// docs/deployment.md (the short path, bootstrap) and docs/manual-install.md (the same by hand) against the files
/// they name: what a new user copies from the guides must be what the units, the wrapper, the deploy hook and the
/// programs expect, so the two cannot drift apart.
/// </summary>
public sealed partial class GuideTests
{
    private static readonly string Guide = File.ReadAllText(Repository.File("docs/deployment.md"));

    private static readonly string Manual = File.ReadAllText(Repository.File("docs/manual-install.md"));

    [Theory]
    [InlineData("docs/deployment.md")]
    [InlineData("docs/manual-install.md")]
    public void EveryRepositoryPathTheGuideNames_Exists(string page)
    {
        var named = RepositoryPath().Matches(File.ReadAllText(Repository.File(page))).Select(m => m.Value.TrimEnd('.', ',', ')')).Distinct().ToList();

        Assert.NotEmpty(named);
        Assert.All(named, path => Assert.True(File.Exists(Repository.File(path)) || Directory.Exists(Repository.File(path)), $"{page} names {path}, which does not exist"));
    }

    [Fact]
    public void EveryPackagedExampleTheGuideInstalls_IsPacked()
    {
        var build = File.ReadAllText(Repository.File("deploy/package/build-deb.sh"));
        var named = PackagedExample().Matches(Guide).Select(m => m.Groups["file"].Value).Distinct().ToList();

        Assert.Superset(new HashSet<string> { "wg0.conf", "geodns-home.nft", "nginx-home-tls.conf", "certbot-deploy-hook", "geodns-rekey-request", "geodns-rekey.path", "geodns-rekey.service" }, named.ToHashSet());
        Assert.Equal(7, named.Count);
        Assert.All(named, file => Assert.Contains($"\"$repo/deploy/{(file.StartsWith("geodns-rekey.", StringComparison.Ordinal) ? "systemd" : "home")}/{file}\"", build));
        Assert.Contains("\"$root/usr/share/geodns-sidecar/\"", build);
    }

    [Fact]
    public void Units_PublishAndWrapper_AgreeWithTheGuide()
    {
        var server = File.ReadAllText(Repository.File("deploy/systemd/geodns.service"));
        var sidecar = File.ReadAllText(Repository.File("deploy/systemd/geodns-sidecar.service"));
        var publish = File.ReadAllText(Repository.File("deploy/publish.sh"));
        var wrapper = File.ReadAllText(Repository.File("deploy/home/geodns-sidecar"));
        var hook = File.ReadAllText(Repository.File("deploy/home/certbot-deploy-hook"));

        Assert.Contains("ExecStart=/opt/geodns/GeoDns.Server --zones /opt/geodns/zones --config /opt/geodns/geodns.json --data /var/lib/geodns\n", server);
        Assert.Contains("ExecStart=/opt/geodns/GeoDns.Sidecar --config /etc/geodns/sidecar.json --data /var/lib/geodns-sidecar run", sidecar);
        Assert.Contains("OUT/RID/server/GeoDns.Server    -> /opt/geodns/GeoDns.Server", publish);
        Assert.Contains("OUT/RID/sidecar/GeoDns.Sidecar  -> /opt/geodns/GeoDns.Sidecar", publish);
        Assert.Contains("rids=(linux-x64 linux-arm64)", publish); // both, unless --rid names one
        Assert.Contains("deploy/publish.sh out ", Manual);
        Assert.Contains("scp out/linux-x64/server/GeoDns.Server root@198.51.100.1:/opt/geodns/", Manual);
        Assert.Contains("install -m 755 out/linux-x64/sidecar/GeoDns.Sidecar /opt/geodns/", Manual);
        // The wrapper runs every other command as the unit runs the daemon.
        Assert.Contains("user=${GEODNS_SIDECAR_USER:-geodns-sidecar}", wrapper);
        Assert.Contains("bin=${GEODNS_SIDECAR_BIN:-/opt/geodns/GeoDns.Sidecar}", wrapper);
        Assert.Contains("config=${GEODNS_SIDECAR_CONFIG:-/etc/geodns/sidecar.json}", wrapper);
        Assert.Contains("data=${GEODNS_SIDECAR_DATA:-/var/lib/geodns-sidecar}", wrapper);
        Assert.Contains("User=geodns-sidecar", sidecar);
        Assert.Contains("AmbientCapabilities=CAP_NET_ADMIN", sidecar);
        Assert.Contains("--ambient-caps=+net_admin", wrapper);
        Assert.Contains("install -m 755 deploy/home/geodns-sidecar /usr/local/bin/geodns-sidecar", Manual);
        Assert.Contains("wrapper=${GEODNS_SIDECAR_WRAPPER:-/usr/local/bin/geodns-sidecar}", hook);
        Assert.Contains("install -D -m 755 deploy/home/certbot-deploy-hook /etc/letsencrypt/renewal-hooks/deploy/geodns-sidecar", Manual);
        Assert.Contains("--deploy-hook /etc/letsencrypt/renewal-hooks/deploy/geodns-sidecar", Guide);
        Assert.Contains("--deploy-hook /etc/letsencrypt/renewal-hooks/deploy/geodns-sidecar", Manual);
        // The short path installs the package's copies: the same files, where build-deb.sh puts them.
        var build = File.ReadAllText(Repository.File("deploy/package/build-deb.sh"));
        Assert.Contains("install -D -m 755 /usr/share/geodns-sidecar/certbot-deploy-hook /etc/letsencrypt/renewal-hooks/deploy/geodns-sidecar", Guide);
        Assert.Contains("install -m 755 \"$repo/deploy/home/certbot-deploy-hook\" \"$root/usr/share/geodns-sidecar/certbot-deploy-hook\"", build);
        Assert.Contains("install -m 755 \"$repo/deploy/home/geodns-sidecar\" \"$root/usr/bin/geodns-sidecar\"", build);
        Assert.Contains("[ -n \"${GEODNS_SIDECAR_WRAPPER:-}\" ] || [ -x \"$wrapper\" ] || wrapper=/usr/bin/geodns-sidecar", hook);
    }

    [Fact]
    public void SidecarConfigInTheGuide_LoadsWithoutProblems_AndMatchesTheHookAndUnit()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Block(Manual, "\"nameserverTunnels\""));
            var options = SidecarOptions.Load(path, out var error);

            Assert.True(options is not null, error);
            Assert.Empty(options.Problems());
            Assert.Equal("/var/lib/geodns-sidecar/certificate", options.Nginx.CertificateDir);
            Assert.Contains("dir=${GEODNS_SIDECAR_CERT_DIR:-/var/lib/geodns-sidecar/certificate}", File.ReadAllText(Repository.File("deploy/home/certbot-deploy-hook")));
            Assert.StartsWith("/var/lib/geodns-sidecar/", options.WireguardDir);
            Assert.Equal(3, options.Edges.Count);
            foreach (var hook in new[] { options.Hooks.Create, options.Hooks.Provision, options.Hooks.Certificate!, options.Hooks.Destroy })
                Assert.True(File.Exists(Repository.File(hook.Replace("/opt/geodns/hooks/", "deploy/hooks/", StringComparison.Ordinal))), $"{hook}: the guide copies deploy/hooks there, and it has no such hook");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FleetConfigInTheGuide_LoadsWithoutProblems_WithThePackagesHooks()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Block(Guide, "\"provisionNameserver\""));
            var options = SidecarOptions.Load(path, out var error);

            Assert.True(options is not null, error);
            Assert.Empty(options.Problems());
            Assert.True(options.Fleet.Configured);
            Assert.Equal("edge.example.com", options.Fleet.Zone);
            Assert.All(options.Fleet.Nameservers, n => Assert.False(n.Exists)); // bought by bootstrap, in their country
            Assert.StartsWith("/opt/geodns/packages/geodns_", options.Fleet.Package);
            Assert.Contains("install -D -m 644 -t /opt/geodns/packages out/geodns_*_amd64.deb", Guide);
            Assert.Equal(("https", "/healthz"), (options.Fleet.Pool!["probe"]!["type"]!.GetValue<string>(), options.Fleet.Pool["probe"]!["path"]!.GetValue<string>()));
            Assert.Equal("/var/lib/geodns-sidecar/certificate", options.Nginx.CertificateDir);
            Assert.StartsWith("/var/lib/geodns-sidecar/", options.WireguardDir);
            Assert.Equal(3, options.Edges.Count);
            Assert.All(options.Edges, e => Assert.Null(e.Ipv4));
            foreach (var hook in new[] { options.Hooks.Create, options.Hooks.Provision, options.Hooks.ProvisionNameserver, options.Hooks.Certificate!, options.Hooks.Destroy, options.Hooks.Delegate })
                Assert.True(File.Exists(Repository.File(hook.Replace("/opt/geodns/hooks/", "deploy/hooks/", StringComparison.Ordinal))), $"{hook}: the package installs deploy/hooks there, and it has no such hook");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void NameserverZoneAndConfigInTheGuide_Load_PoolStartsEmpty_ProbesHttps()
    {
        var zone = ZoneFileParser.Parse(Block(Manual, "$ORIGIN edge.example.com."), DnsName.Parse("edge.example.com."), "edge.example.com.zone");
        Assert.True(zone.Ok, string.Join("; ", zone.Errors));
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Block(Manual, "\"listen\": [\"0.0.0.0:53\""));
            var options = ConfigFile.Load(path, out var error);

            Assert.True(options is not null, error);
            var (_, errors) = PoolSetBuilder.Build(options.Pools, new ZoneSet([zone.Zone!], []));
            Assert.Empty(errors);
            var pool = Assert.Single(options.Pools);
            Assert.Empty(pool.Edges); // the sidecar's bootstrap adds them
            Assert.Equal(("https", "/healthz"), (pool.Probe.Type, pool.Probe.Path));
            Assert.Equal("/etc/geodns/admin.token", options.AdminTokenFile);
            Assert.Contains("location = /healthz", File.ReadAllText(Repository.File("deploy/home/nginx-home-tls.conf")));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The fenced block of <paramref name="page"/> that contains <paramref name="marker"/>, without its indentation.</summary>
    private static string Block(string page, string marker)
    {
        var block = FencedBlock().Matches(page).Select(m => m.Groups["body"].Value).Single(b => b.Contains(marker, StringComparison.Ordinal));
        var indent = block.Split('\n')[0].TakeWhile(c => c == ' ').Count();
        return string.Join('\n', block.Split('\n').Select(line => line.Length >= indent && line[..indent].Trim() == "" ? line[indent..] : line.TrimStart()));
    }

    [GeneratedRegex(@"/usr/share/geodns-sidecar/(?<file>[A-Za-z0-9_.-]+)")]
    private static partial Regex PackagedExample();

    [GeneratedRegex(@"(?<![\w/.-])(deploy|bench)/[A-Za-z0-9_./-]+")]
    private static partial Regex RepositoryPath();

    [GeneratedRegex(@"^[ ]*```[a-z]*\n(?<body>.*?)^[ ]*```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();
}
