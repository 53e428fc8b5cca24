using GeoDns.Testing;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The sidecar as docs/deployment.md and docs/manual-install.md install it: its own system user, certbot's live directory
/// root-only, the shipped certbot deploy hook (deploy/home/certbot-deploy-hook) copying the
/// certificate to the sidecar and running `certificates` as that user through the shipped wrapper
/// (deploy/home/geodns-sidecar). Needs root (it creates, and removes, a temporary user).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // users, setpriv and file modes: Linux only
public sealed class SidecarUserTests
{
    private const string Domain = "app.example.com";

    [SkippableFact]
    public void DeployHook_AsRoot_SidecarUserInstallsOnEveryEdge_KeysStayOwnerOnly()
    {
        Skip.If(Environment.UserName != "root", "creates a temporary system user: needs root (CI runs as root)");
        Skip.If(new[] { "useradd", "userdel", "setpriv" }.Any(t => Executables.Find(t) is null), "useradd, userdel or setpriv is missing");
        using var scratch = new Scratch();
        File.SetUnixFileMode(scratch.Path, (UnixFileMode)0b111_101_101);
        var user = $"gd2sc{Random.Shared.Next(0x100000, 0xFFFFFF):x}";
        var data = scratch["var-lib-geodns-sidecar"];
        Run("useradd", "--system", "--user-group", "--no-create-home", "--home-dir", data, "--shell", "/usr/sbin/nologin", user);
        try
        {
            // As the guide sets it up: the data directory the user's, 0700; the config readable by its group.
            Run("install", "-d", "-o", user, "-g", user, "-m", "700", data);
            Run("install", "-d", "-o", user, "-g", user, "-m", "755", scratch["edges"]);
            var live = Certbot(scratch, "first");
            var config = scratch["sidecar.json"];
            File.WriteAllText(config, $$"""
                {
                  "pool": "{{Domain}}",
                  "wireguardDir": "{{data}}/wireguard",
                  "apply": "",
                  "hooks": { "certificate": "{{Hook(scratch)}}" },
                  "nginx": { "mode": "tls", "domains": [ "{{Domain}}" ], "certificateDir": "{{data}}/certificate" },
                  "edges": [ { "name": "edge-1", "ipv4": "192.0.2.11" }, { "name": "edge-2", "ipv4": "192.0.2.12" } ]
                }
                """);
            Run("chown", $"root:{user}", config);
            Run("chmod", "640", config);
            var environment = new Dictionary<string, string>
            {
                ["GEODNS_SIDECAR_USER"] = user,
                ["GEODNS_SIDECAR_BIN"] = Launcher(scratch),
                ["GEODNS_SIDECAR_CONFIG"] = config,
                ["GEODNS_SIDECAR_DATA"] = data,
                ["GEODNS_SIDECAR_CERT_DIR"] = $"{data}/certificate",
                ["GEODNS_SIDECAR_WRAPPER"] = Repository.File("deploy/home/geodns-sidecar"),
            };

            var keys = Run(Repository.File("deploy/home/geodns-sidecar"), environment, "keys");
            Assert.Contains("edge-1", keys);
            // The user cannot read certbot's copy: that is why the hook copies it.
            Assert.NotEqual(0, Tools.Run("setpriv", "--reuid", user, "--regid", user, "--init-groups", "cat", Path.Combine(live, "privkey.pem")).ExitCode);

            var pushed = Run(Repository.File("deploy/home/certbot-deploy-hook"), new Dictionary<string, string>(environment) { ["RENEWED_LINEAGE"] = live });

            Assert.Matches(@"edge-1\s+installed", pushed);
            Assert.Matches(@"edge-2\s+installed", pushed);
            foreach (var edge in new[] { "edge-1", "edge-2" })
            {
                Assert.Equal("first fullchain", File.ReadAllText(scratch[$"edges/{edge}/fullchain.pem"]).Trim());
                Assert.Equal($"{user} 600", Stat(scratch[$"edges/{edge}/privkey.pem"]));
            }
            Assert.Equal($"{user} 700", Stat($"{data}/certificate"));
            Assert.Equal($"{user} 600", Stat($"{data}/certificate/privkey.pem"));
            Assert.Equal($"{user} 644", Stat($"{data}/certificate/fullchain.pem"));
            Assert.Equal($"{user} 600", Stat($"{data}/sidecar.db"));
            // The home's peers file (it holds the home's key) as much as every edge's and nameserver's config.
            Assert.Single(Directory.GetFiles($"{data}/wireguard", "*.peers"));
            foreach (var conf in Directory.GetFiles($"{data}/wireguard", "*.conf", SearchOption.AllDirectories).Concat(Directory.GetFiles($"{data}/wireguard", "*.peers")))
                Assert.Equal($"{user} 600", Stat(conf));
            Assert.Equal("", Run("find", data, "!", "-user", user)); // nothing the daemon could not rewrite

            // A renewal: the same hook, the new files everywhere, the modes unchanged.
            Certbot(scratch, "renewed");
            pushed = Run(Repository.File("deploy/home/certbot-deploy-hook"), new Dictionary<string, string>(environment) { ["RENEWED_LINEAGE"] = live });
            Assert.Matches(@"edge-2\s+installed", pushed);
            Assert.Equal("renewed fullchain", File.ReadAllText(scratch["edges/edge-2/fullchain.pem"]).Trim());
            Assert.Equal($"{user} 600", Stat($"{data}/certificate/privkey.pem"));
            Assert.Equal($"{user} 600", Stat(scratch["edges/edge-2/privkey.pem"]));
            Assert.Equal("", Run("find", data, "!", "-user", user));
        }
        finally
        {
            Tools.Run("userdel", user);
        }
    }

    /// <summary>certbot's layout: live/DOMAIN root-only (0700), the key 0600.</summary>
    private static string Certbot(Scratch scratch, string version)
    {
        var live = scratch[$"letsencrypt/live/{Domain}"];
        Directory.CreateDirectory(live);
        File.SetUnixFileMode(scratch["letsencrypt/live"], UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(live, "fullchain.pem"), $"{version} fullchain\n");
        File.WriteAllText(Path.Combine(live, "privkey.pem"), $"{version} key\n");
        File.SetUnixFileMode(Path.Combine(live, "privkey.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return live;
    }

    /// <summary>A certificate hook standing in for scp to a VPS: installs the files in edges/NAME/ as the hetzner hook does on an edge.</summary>
    private static string Hook(Scratch scratch)
    {
        var hook = scratch["certificate.sh"];
        File.WriteAllText(hook, $"""
            #!/bin/sh
            set -eu
            dest={scratch["edges"]}/$EDGE_NAME
            mkdir -p "$dest"
            cp "$EDGE_CERT_DIR/fullchain.pem" "$EDGE_CERT_DIR/privkey.pem" "$dest/"
            chmod 600 "$dest/privkey.pem"
            """);
        File.SetUnixFileMode(hook, (UnixFileMode)0b111_101_101);
        return hook;
    }

    /// <summary>
    /// What /opt/geodns/GeoDns.Sidecar is on a home server: here the sidecar this test was built with, through dotnet,
    /// copied where the sidecar's user can read it (a checkout may sit below a 0700 directory, as `mktemp -d` makes).
    /// </summary>
    private static string Launcher(Scratch scratch)
    {
        var built = Path.GetDirectoryName(typeof(SidecarOptions).Assembly.Location)!;
        var app = scratch["bin/app"];
        foreach (var file in Directory.EnumerateFiles(built, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(app, Path.GetRelativePath(built, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        Run("chmod", "-R", "a+rX", app);
        var launcher = scratch["bin/GeoDns.Sidecar"];
        File.WriteAllText(launcher, $"#!/bin/sh\nexec dotnet '{Path.Combine(app, Path.GetFileName(typeof(SidecarOptions).Assembly.Location))}' \"$@\"\n");
        File.SetUnixFileMode(launcher, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(scratch["bin"], (UnixFileMode)0b111_101_101);
        return launcher;
    }

    private static string Stat(string path) => Run("stat", "-c", "%U %a", path).Trim();

    private static string Run(string program, params string[] args) => Run(program, new Dictionary<string, string>(), args);

    private static string Run(string program, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in 60 s");
        }
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)}: exit {process.ExitCode}\n{stdout}\n{stderr.Result}");
        return stdout;
    }
}
