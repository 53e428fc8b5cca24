using System.Text.RegularExpressions;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The re-key example without root in the sidecar: the hook (deploy/home/geodns-rekey-request) only writes a request
/// file, whole or not at all, one however often it runs; root's path unit (deploy/systemd/geodns-rekey.path) watches
/// that file and starts the service that runs certbot with a new key, and the guide installs the three as they are.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // a shell hook, systemd units and file modes
public sealed partial class RekeyRequestTests
{
    private static readonly string Hook = Repository.File("deploy/home/geodns-rekey-request");
    private static readonly string PathUnit = Repository.File("deploy/systemd/geodns-rekey.path");
    private static readonly string ServiceUnit = Repository.File("deploy/systemd/geodns-rekey.service");

    /// <summary>The hook as the sidecar runs one (<c>/bin/sh -c</c>), with the rotated-out edge's name.</summary>
    private static Task<Script.Result> Request(string directory, string? edge) =>
        Script.RunAsync("/bin/sh", ["-c", Hook], TimeSpan.FromSeconds(20), environment: new Dictionary<string, string>
        {
            ["GEODNS_REKEY_DIR"] = directory,
            ["EDGE_NAME"] = edge ?? "",
        });

    [Fact]
    public async Task Request_WritesTheEdgeAndTime_OwnerOnly()
    {
        using var scratch = new Scratch();
        var directory = scratch["rekey"];

        var result = await Request(directory, "edge-2-r1");

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal(["request"], Directory.GetFiles(directory).Select(Path.GetFileName));
        var request = Path.Combine(directory, "request");
        Assert.Matches(RequestText(), File.ReadAllText(request));
        Assert.StartsWith("edge=edge-2-r1\n", File.ReadAllText(request));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(request));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        Assert.Contains("re-key requested after edge-2-r1", result.Stdout);
    }

    [Fact]
    public async Task RequestAgain_BeforeRootTookIt_OneRequest_NamingTheLatestEdge()
    {
        using var scratch = new Scratch();
        var directory = scratch["rekey"];

        var first = await Request(directory, "edge-2-r1");
        var again = await Request(directory, "edge-2-r1");
        var next = await Request(directory, "edge-3-r1");

        Assert.All(new[] { first, again, next }, r => Assert.True(r.ExitCode == 0, r.Describe()));
        Assert.Equal(["request"], Directory.GetFiles(directory).Select(Path.GetFileName));
        Assert.StartsWith("edge=edge-3-r1\n", File.ReadAllText(Path.Combine(directory, "request")));
    }

    [Fact]
    public async Task Request_IsNeverSeenHalfWritten()
    {
        using var scratch = new Scratch();
        var directory = scratch["rekey"];
        var request = Path.Combine(directory, "request");
        using var stop = new CancellationTokenSource();
        var seen = new List<string>();
        // Root's side reads whenever the file is there; every read must be a whole request.
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try { seen.Add(File.ReadAllText(request)); }
                catch (FileNotFoundException) { }
                catch (DirectoryNotFoundException) { }
            }
        });

        for (var i = 0; i < 20; i++)
        {
            var result = await Request(directory, $"edge-{i}-r1");
            Assert.True(result.ExitCode == 0, result.Describe());
        }
        await stop.CancelAsync();
        await reader;

        Assert.NotEmpty(seen);
        Assert.All(seen, text => Assert.Matches(RequestText(), text));
        Assert.Equal(["request"], Directory.GetFiles(directory).Select(Path.GetFileName)); // no temporary file left behind
    }

    [Fact]
    public async Task Request_WithoutTheEdgeName_Fails_WritesNothing()
    {
        using var scratch = new Scratch();
        var directory = scratch["rekey"];

        var result = await Request(directory, edge: null);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("EDGE_NAME", result.Stderr);
        Assert.False(File.Exists(Path.Combine(directory, "request")));
    }

    [Fact]
    public void Units_WatchTheHooksFile_AndRenewWithANewKey_TheGuideInstallsThem()
    {
        var hook = File.ReadAllText(Hook);
        var path = File.ReadAllText(PathUnit);
        var service = File.ReadAllText(ServiceUnit);
        var manual = File.ReadAllText(Repository.File("docs/manual-install.md"));

        Assert.Contains("dir=${GEODNS_REKEY_DIR:-/var/lib/geodns-sidecar/rekey}", hook);
        Assert.Contains("mv -f \"$tmp\" \"$dir/request\"", hook); // renamed into place: whole or not at all
        Assert.Contains("PathExists=/var/lib/geodns-sidecar/rekey/request\n", path);
        Assert.Contains("Unit=geodns-rekey.service\n", path);
        Assert.Contains("Type=oneshot\n", service);
        Assert.Contains("EnvironmentFile=/etc/geodns/rekey.env\n", service);
        Assert.Contains("ExecStart=/usr/bin/certbot renew --cert-name ${CERT_NAME} --force-renewal --no-reuse-key\n", service);
        // The request is taken before certbot and removed after, whatever the outcome: a failure does not loop.
        Assert.Contains("ExecStartPre=-/bin/mv -fT /var/lib/geodns-sidecar/rekey/request /var/lib/geodns-sidecar/rekey/request.taken\n", service);
        Assert.Contains("ExecStopPost=/bin/rm -f /var/lib/geodns-sidecar/rekey/request.taken\n", service);
        Assert.DoesNotContain("User=", service); // root's: certbot writes /etc/letsencrypt
        // The sidecar's unit lets it write there (its state directory), and nothing in the guide gives it more.
        Assert.Contains("StateDirectory=geodns-sidecar", File.ReadAllText(Repository.File("deploy/systemd/geodns-sidecar.service")));
        Assert.Contains("install -m 755 deploy/home/geodns-rekey-request /usr/local/bin/geodns-rekey-request", manual);
        Assert.Contains("install -m 644 deploy/systemd/geodns-rekey.path deploy/systemd/geodns-rekey.service /etc/systemd/system/", manual);
        Assert.Contains("echo CERT_NAME=app.edge.example.com >/etc/geodns/rekey.env", manual);
        Assert.Contains("systemctl daemon-reload && systemctl enable --now geodns-rekey.path", manual);
        Assert.Contains("\"rekey\": \"/usr/local/bin/geodns-rekey-request\"", manual);
    }

    [SkippableFact]
    public async Task Units_PassSystemdAnalyzeVerify()
    {
        Skip.If(Executables.Find("systemd-analyze") is null, "systemd-analyze not installed");
        Skip.IfNot(File.Exists("/usr/bin/certbot"), "certbot not installed (verify checks that ExecStart's program exists)");

        var result = await Script.RunAsync("systemd-analyze", ["verify", PathUnit, ServiceUnit], TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0 && result.Stderr.Trim().Length == 0, result.Describe());
    }

    [GeneratedRegex(@"\Aedge=edge-[\w-]+\nrequested=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n\z")]
    private static partial Regex RequestText();
}
