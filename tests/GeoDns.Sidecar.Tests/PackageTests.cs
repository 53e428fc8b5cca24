using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using GeoDns.Server;
using GeoDns.Testing;
using Xunit.Abstractions;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The two Debian packages of deploy/package/build-deb.sh, installed for real: dpkg -i, upgrade and purge in a
/// mount namespace whose root is an overlay of this machine's root on a throwaway tmpfs, so the users, files and
/// dpkg database they change are the overlay's alone and vanish with the namespace. Owners and modes are those of
/// docs/manual-install.md, whose config, zone and sidecar config the packages ship as examples. It packs the programs <see cref="PublishedPrograms"/> made outside the projects' obj/ and
/// holds no fixed port, so it runs beside the Release builds' collection instead of blocking it while it waits.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // dpkg, mount namespaces and overlayfs: Linux only
public sealed partial class PackageTests(ITestOutputHelper output)
{
    private static readonly string Guide = File.ReadAllText(Repository.File("docs/manual-install.md"));

    /// <summary>The nameserver's and the home's files, users and units, as the guide and deploy/package/README.md say.</summary>
    private static readonly (string Path, string Owner, string Mode)[] Installed =
    [
        ("/opt/geodns", "root:root", "755"),
        ("/opt/geodns/GeoDns.Server", "root:root", "755"),
        ("/opt/geodns/geodns.json", "root:root", "644"),
        ("/opt/geodns/zones", "root:root", "755"),
        ("/opt/geodns/zones/edge.example.com.zone", "root:root", "644"),
        ("/opt/geodns/fetch-geodb.sh", "root:root", "755"),
        ("/usr/lib/systemd/system/geodns.service", "root:root", "644"),
        ("/usr/lib/systemd/system/geodns-geodb.service", "root:root", "644"),
        ("/usr/lib/systemd/system/geodns-geodb.timer", "root:root", "644"),
        ("/var/lib/geodns", "geodns:geodns", "700"),
        ("/etc/geodns", "root:root", "755"),
        ("/etc/geodns/admin.token", "root:geodns", "640"), // the server's package configures first: its token
        ("/opt/geodns/GeoDns.Sidecar", "root:root", "755"),
        ("/usr/bin/geodns-sidecar", "root:root", "755"),
        ("/opt/geodns/hooks/hetzner/create.sh", "root:root", "755"),
        ("/opt/geodns/hooks/README.md", "root:root", "644"),
        ("/opt/geodns/edge/geodns-edge-guard", "root:root", "755"),
        ("/usr/lib/systemd/system/geodns-sidecar.service", "root:root", "644"),
        ("/var/lib/geodns-sidecar", "geodns-sidecar:geodns-sidecar", "700"),
        ("/etc/geodns/sidecar.json", "root:geodns-sidecar", "640"),
        ("/etc/geodns/sidecar.token", "root:geodns-sidecar", "640"),
        ("/usr/share/geodns-sidecar/wg0.conf", "root:root", "644"),
        ("/usr/share/geodns-sidecar/certbot-deploy-hook", "root:root", "755"),
        ("/usr/share/geodns-sidecar/geodns-rekey-request", "root:root", "755"),
        ("/usr/share/geodns-sidecar/geodns-rekey.path", "root:root", "644"),
        ("/usr/share/geodns-sidecar/geodns-rekey.service", "root:root", "644"),
    ];

    [Fact]
    public void ShippedExamples_AreTheGuidesConfigZoneAndSidecarConfig_AndLoad()
    {
        Assert.Equal(Squeezed(GuideBlock("\"listen\": [\"0.0.0.0:53\"")), Squeezed(Example("geodns.json")));
        Assert.Equal(Squeezed(GuideBlock("$ORIGIN edge.example.com.")), Squeezed(Example("edge.example.com.zone")));
        Assert.Equal(Squeezed(GuideBlock("\"nameserverTunnels\"")), Squeezed(Example("sidecar.json")));

        var server = ConfigFile.Load(Repository.File("deploy/package/geodns.json"), out var error);
        Assert.True(server is not null, error);
        var sidecar = SidecarOptions.Load(Repository.File("deploy/package/sidecar.json"), out error);
        Assert.True(sidecar is not null, error);
        Assert.Empty(sidecar.Problems());
        // The units run what the packages install, where they install it.
        Assert.Contains("/opt/geodns/geodns.json", File.ReadAllText(Repository.File("deploy/package/geodns/conffiles")));
        Assert.Contains("ExecStart=/opt/geodns/GeoDns.Server --zones /opt/geodns/zones --config /opt/geodns/geodns.json", File.ReadAllText(Repository.File("deploy/systemd/geodns.service")));
    }

    [SkippableFact]
    public async Task BothPackages_InstallUpgradePurge_InAnOverlay_OwnersModesAsTheGuide_RealRootUntouched()
    {
        Skip.If(Environment.UserName != "root", "installs packages in a mount namespace: needs root (CI runs as root)");
        Skip.If(new[] { "dpkg-deb", "dpkg", "unshare", "nsenter", "chroot", "setpriv", "wg" }.Any(t => Executables.Find(t) is null),
            "needs dpkg, unshare, nsenter, chroot, setpriv (Debian's base system) and wg (wireguard-tools, the sidecar's dependency; .ci/run installs it)");
        Skip.IfNot(File.ReadAllText("/proc/filesystems").Contains("\toverlay\n", StringComparison.Ordinal), "the kernel has no overlayfs");
        var before = HostState();
        Skip.If(before.Contains(" ok installed", StringComparison.Ordinal) || Directory.Exists("/opt/geodns"), $"GeoDns is installed on this machine itself; the test proves on one without:\n{before}");
        using var scratch = new Scratch();
        var (rid, arch) = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? ("linux-arm64", "arm64") : ("linux-x64", "amd64");
        var clock = Stopwatch.StartNew();

        // The programs as deploy/publish.sh makes them (published once for this test run; build-deb.sh would call it the same way).
        var published = await PublishedPrograms.DirectoryAsync(rid);
        var built = await Script.RunAsync(Repository.File("deploy/package/build-deb.sh"), ["--rid", rid, "--version", "0.9.0~test1", "--published", published, scratch["debs/v1"]], TimeSpan.FromMinutes(3));
        Assert.True(built.ExitCode == 0, built.Describe());
        // The upgrade: the same programs, a higher version, packed again without publishing again.
        var rebuilt = await Script.RunAsync(Repository.File("deploy/package/build-deb.sh"), ["--rid", rid, "--version", "0.9.1~test2", "--published", published, scratch["debs/v2"]], TimeSpan.FromMinutes(3));
        Assert.True(rebuilt.ExitCode == 0, rebuilt.Describe());
        var v1 = new[] { scratch[$"debs/v1/geodns_0.9.0~test1_{arch}.deb"], scratch[$"debs/v1/geodns-sidecar_0.9.0~test1_{arch}.deb"] };
        var v2 = new[] { scratch[$"debs/v2/geodns_0.9.1~test2_{arch}.deb"], scratch[$"debs/v2/geodns-sidecar_0.9.1~test2_{arch}.deb"] };
        Assert.All(v1.Concat(v2), deb => Assert.True(File.Exists(deb), $"{deb} was not built"));
        var builds = clock.Elapsed;

        await using (var root = await OverlayRoot.StartAsync(scratch, scratch["debs"]))
        {
            var installed = await root.RunAsync(["dpkg", "-i", .. v1]);
            Assert.True(installed.ExitCode == 0, installed.Describe());

            // The users: system accounts, home in their data directory, no login.
            foreach (var user in new[] { "geodns", "geodns-sidecar" })
            {
                var entry = (await root.OkAsync("getent", "passwd", user)).Trim().Split(':');
                Assert.True(int.Parse(entry[2], System.Globalization.CultureInfo.InvariantCulture) < 1000, $"{user} is not a system user: {string.Join(':', entry)}");
                Assert.Equal(($"/var/lib/{user}", "/usr/sbin/nologin"), (entry[5], entry[6]));
                await root.OkAsync("getent", "group", user);
            }
            await AssertInstalledAsync(root);
            // The tokens: made, secret, readable by the service's group and no one else.
            var adminToken = await root.OkAsync("cat", "/etc/geodns/admin.token");
            var sidecarToken = await root.OkAsync("cat", "/etc/geodns/sidecar.token");
            Assert.Matches("^[A-Za-z0-9]{40,}\n$", adminToken);
            Assert.Matches("^[A-Za-z0-9]{40,}\n$", sidecarToken);
            Assert.NotEqual(adminToken, sidecarToken);
            Assert.Equal(0, (await root.RunAsync(["setpriv", "--reuid=geodns", "--regid=geodns", "--init-groups", "cat", "/etc/geodns/admin.token"])).ExitCode);
            Assert.Equal(0, (await root.RunAsync(["setpriv", "--reuid=geodns-sidecar", "--regid=geodns-sidecar", "--init-groups", "cat", "/etc/geodns/sidecar.json"])).ExitCode);
            foreach (var secret in new[] { "/etc/geodns/admin.token", "/etc/geodns/sidecar.token", "/etc/geodns/sidecar.json" })
                Assert.NotEqual(0, (await root.RunAsync(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "cat", secret])).ExitCode);
            // Nothing outside its data directory is the sidecar's, above all not a file wg-quick runs as root.
            Assert.Equal("/var/lib/geodns-sidecar\n", await root.OkAsync("find", "/etc", "/opt", "/usr/bin", "/usr/lib/systemd", "/var/lib", "-xdev", "-user", "geodns-sidecar"));
            Assert.DoesNotContain("/etc/wireguard", await root.OkAsync("dpkg", "-L", "geodns-sidecar"));
            // The server enabled, not started (nothing runs in a chroot anyway); the sidecar neither.
            Assert.Equal(0, (await root.RunAsync(["test", "-L", "/etc/systemd/system/multi-user.target.wants/geodns.service"])).ExitCode);
            Assert.NotEqual(0, (await root.RunAsync(["test", "-e", "/etc/systemd/system/multi-user.target.wants/geodns-sidecar.service"])).ExitCode);
            // As the guides enable them later (systemctl works offline in a chroot): units it can enable, links purge removes.
            await root.OkAsync("systemctl", "enable", "geodns-sidecar.service", "geodns-geodb.timer");

            // Both programs run as installed, the sidecar through its wrapper as its own user.
            Assert.Matches(@"^geodns \d+\.\d+\.\d+", await root.OkAsync("/opt/geodns/GeoDns.Server", "--version"));
            Assert.Matches(VersionTests.Expected(), await root.OkAsync("geodns-sidecar", "--version"));
            // The server's own check of the shipped config and zone, as the unit runs it: its user, its arguments.
            var execStart = Regex.Match(await root.OkAsync("cat", "/usr/lib/systemd/system/geodns.service"), @"^ExecStart=(.+)$", RegexOptions.Multiline).Groups[1].Value.Split(' ');
            var check = await root.RunAsync(["setpriv", "--reuid=geodns", "--regid=geodns", "--init-groups", "env", "HOME=/var/lib/geodns", .. execStart, "--check"], "/opt/geodns");
            Assert.True(check.ExitCode == 0, check.Describe());
            Assert.Contains("ok: 1 zone(s), 1 pool(s)", check.Stdout);

            // Upgrade, after the admin edited both conffiles: the edits stay, the tokens are not made anew.
            await root.OkAsync("sed", "-i", "s/\"ttl\": 20,/\"ttl\": 25,/", "/opt/geodns/geodns.json");
            await root.OkAsync("sed", "-i", "s/edge-nyc/edge-ewr/", "/etc/geodns/sidecar.json");
            var upgraded = await root.RunAsync(["dpkg", "-i", .. v2]);
            Assert.True(upgraded.ExitCode == 0, upgraded.Describe());
            Assert.Equal("0.9.1~test2 0.9.1~test2", (await root.OkAsync("dpkg-query", "-W", "-f", "${Version} ", "geodns", "geodns-sidecar")).Trim());
            Assert.Contains("\"ttl\": 25,", await root.OkAsync("cat", "/opt/geodns/geodns.json"));
            Assert.Contains("edge-ewr", await root.OkAsync("cat", "/etc/geodns/sidecar.json"));
            Assert.Equal(adminToken, await root.OkAsync("cat", "/etc/geodns/admin.token"));
            Assert.Equal(sidecarToken, await root.OkAsync("cat", "/etc/geodns/sidecar.token"));
            await AssertInstalledAsync(root);
            check = await root.RunAsync(["setpriv", "--reuid=geodns", "--regid=geodns", "--init-groups", "env", "HOME=/var/lib/geodns", .. execStart, "--check"], "/opt/geodns");
            Assert.True(check.ExitCode == 0, check.Describe());

            // Purge: the data, the tokens, the config and the users are gone.
            var purged = await root.RunAsync(["dpkg", "--purge", "geodns", "geodns-sidecar"]);
            Assert.True(purged.ExitCode == 0, purged.Describe());
            foreach (var user in new[] { "geodns", "geodns-sidecar" })
            {
                Assert.Equal(2, (await root.RunAsync(["getent", "passwd", user])).ExitCode);
                Assert.Equal(2, (await root.RunAsync(["getent", "group", user])).ExitCode);
            }
            foreach (var path in new[] { "/var/lib/geodns", "/var/lib/geodns-sidecar", "/etc/geodns", "/opt/geodns", "/usr/bin/geodns-sidecar",
                "/etc/systemd/system/multi-user.target.wants/geodns.service", "/etc/systemd/system/multi-user.target.wants/geodns-sidecar.service", "/etc/systemd/system/timers.target.wants/geodns-geodb.timer" })
                Assert.True((await root.RunAsync(["test", "-e", path])).ExitCode != 0, $"{path} is still there after the purge");

            // Meanwhile the machine's own root saw nothing: the namespace's mounts are its own.
            Assert.Empty(Directory.EnumerateFileSystemEntries(root.MountPoint));
            Assert.Equal(before, HostState());
        }

        Assert.Equal(before, HostState());
        Assert.False(Directory.Exists("/opt/geodns"), "/opt/geodns appeared on the machine itself");
        output.WriteLine($"built both packages twice in {builds.TotalSeconds:0} s, installed, upgraded and purged in {(clock.Elapsed - builds).TotalSeconds:0} s");
    }

    /// <summary>Every path of <see cref="Installed"/> with its owner and mode.</summary>
    private static async Task AssertInstalledAsync(OverlayRoot root)
    {
        var stat = await root.OkAsync(["stat", "-c", "%n %U:%G %a", .. Installed.Select(i => i.Path)]);
        Assert.Equal(string.Join('\n', Installed.Select(i => $"{i.Path} {i.Owner} {i.Mode}")) + "\n", stat);
    }

    /// <summary>What this machine says about GeoDns's users, packages and files, outside any namespace.</summary>
    private static string HostState()
    {
        var lines = new List<string>();
        foreach (var name in new[] { "geodns", "geodns-sidecar" })
        {
            foreach (var database in new[] { "passwd", "group" })
            {
                var (exit, stdout, _) = Tools.Run("getent", database, name);
                lines.Add($"getent {database} {name}: {exit} {stdout.Trim()}");
            }
            var package = Tools.Run("dpkg-query", "-W", "-f", "${Status}", name);
            lines.Add($"dpkg {name}: {package.ExitCode} {package.Stdout.Trim()}");
        }
        foreach (var path in new[] { "/var/lib/geodns", "/var/lib/geodns-sidecar", "/etc/geodns", "/usr/bin/geodns-sidecar", "/usr/lib/systemd/system/geodns.service" })
            lines.Add($"{path}: {(File.Exists(path) || Directory.Exists(path) ? "exists" : "absent")}");
        return string.Join('\n', lines);
    }

    /// <summary>The manual install's fenced block holding <paramref name="marker"/>.</summary>
    private static string GuideBlock(string marker) =>
        FencedBlock().Matches(Guide).Select(m => m.Groups["body"].Value).Single(b => b.Contains(marker, StringComparison.Ordinal));

    /// <summary>A shipped example without its leading comment lines (which say where it is installed).</summary>
    private static string Example(string name) =>
        string.Join('\n', File.ReadAllLines(Repository.File($"deploy/package/{name}")).Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal) && !l.StartsWith(';')));

    private static string Squeezed(string text) => Regex.Replace(text, @"\s+", "");

    [GeneratedRegex(@"^[ ]*```[a-z]*\n(?<body>.*?)^[ ]*```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();

    /// <summary>
    /// A root of its own: a process in a new mount namespace (private: nothing it mounts reaches this machine's)
    /// mounts a tmpfs, and on it the upper and work directories of an overlay whose lower layer is this machine's
    /// root. The tmpfs is another file system than / (overlayfs refuses an upper directory inside its lower one) and
    /// lives only as long as the namespace: disposing kills the process, and with it every change made inside.
    /// The packages' directory is bound in at its own path: the lower layer is /'s file system alone, without
    /// what is mounted on it (a /tmp of its own, say).
    /// </summary>
    private sealed class OverlayRoot : IAsyncDisposable
    {
        private const string Setup = """
            set -e
            mount -t tmpfs -o size=4g,mode=700 geodns-package-test "$1"
            mkdir "$1/upper" "$1/work"
            mount -t overlay overlay -o "lowerdir=/,upperdir=$1/upper,workdir=$1/work" "$2"
            mount --rbind /dev "$2/dev"
            mount -t proc proc "$2/proc"
            mkdir -p "$2$3"
            mount --bind "$3" "$2$3"
            echo ready
            exec sleep infinity
            """;

        private readonly Process namespaceHolder;

        private OverlayRoot(Process holder, string mountPoint) => (namespaceHolder, MountPoint) = (holder, mountPoint);

        /// <summary>Where the overlay is mounted inside the namespace: an empty directory seen from outside.</summary>
        public string MountPoint { get; }

        public static async Task<OverlayRoot> StartAsync(Scratch scratch, string packages)
        {
            var (layer, root) = (scratch["layer"], scratch["root"]);
            Directory.CreateDirectory(layer);
            Directory.CreateDirectory(root);
            var holder = Process.Start(new ProcessStartInfo("unshare", ["--mount", "--propagation", "private", "sh", "-c", Setup, "sh", layer, root, packages])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var ready = holder.StandardOutput.ReadLineAsync();
            if (await Task.WhenAny(ready, Task.Delay(TimeSpan.FromSeconds(30))) == ready && await ready == "ready") return new OverlayRoot(holder, root);
            if (!holder.HasExited) holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
            var error = await holder.StandardError.ReadToEndAsync();
            holder.Dispose();
            Assert.Fail($"the overlay root did not come up: {error}");
            return null!;
        }

        /// <summary>A command in the overlay root as root, with a plain environment (no test runner's variables).</summary>
        public Task<Script.Result> RunAsync(IEnumerable<string> command, string directory = "/") =>
            Script.RunAsync("nsenter",
                ["--target", namespaceHolder.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--mount", "--",
                 "chroot", MountPoint, "env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LANG=C.UTF-8", "sh", "-c", "cd \"$0\" && exec \"$@\"", directory, .. command],
                TimeSpan.FromMinutes(3));

        /// <summary>As <see cref="RunAsync"/>, failing the test unless the command succeeds; its standard output.</summary>
        public async Task<string> OkAsync(params string[] command)
        {
            var result = await RunAsync(command);
            Assert.True(result.ExitCode == 0, $"{string.Join(' ', command)} in the overlay root: {result.Describe()}");
            return result.Stdout;
        }

        public async ValueTask DisposeAsync()
        {
            if (!namespaceHolder.HasExited) namespaceHolder.Kill(entireProcessTree: true);
            await namespaceHolder.WaitForExitAsync();
            namespaceHolder.Dispose();
        }
    }
}
