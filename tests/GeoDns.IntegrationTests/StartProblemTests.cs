using System.Net;
using System.Net.Sockets;
using GeoDns.Server;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// What a new operator runs into at start, against the server binary: an admin address that cannot be bound yet (DNS is
/// served, the admin endpoint binds once it can), a DNS port in use, a second instance on the same data directory, a
/// key file that is missing, zone directories that hold no zone, and the --version and --check commands.
/// </summary>
public sealed class StartProblemTests
{
    private const string Zone = TestServer.ExampleZone;

    [Fact]
    public async Task AdminAddressTaken_DnsIsServed_AdminBindsOnceFree_CountedInMetrics()
    {
        using var directory = new TempDirectory();
        directory.Write("zones/example.com.zone", Zone);
        directory.Write("geodns.json", "{}");
        var port = FreePort.Pick();
        var holder = new TcpListener(IPAddress.Loopback, port); // the tunnel address that is not there yet
        holder.Start();
        await using var server = await ServerProcess.StartAsync(directory.Path, admin: $"127.0.0.1:{port}", waitForAdmin: false);
        try
        {
            await Eventually.True(() => server.Log.Contains($"Admin endpoint not listening on 127.0.0.1:{port}"), "the log names the admin address it cannot bind");
            Assert.NotNull(server.Ask("www.example.com")); // DNS is served regardless
            Assert.False(server.HasExited);
        }
        finally
        {
            holder.Stop();
        }
        await Eventually.True(() => server.Log.Contains($"Admin endpoint listening on http://127.0.0.1:{port}, after "), "the admin endpoint binds once the address is free", TimeSpan.FromSeconds(20));
        using var http = server.NewHttpClient();
        var metrics = await http.GetStringAsync("/metrics");
        var failures = metrics.Split('\n').Single(l => l.StartsWith("geodns_admin_bind_failures_total ", StringComparison.Ordinal));
        Assert.True(double.Parse(failures.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) >= 1, failures);
        Assert.Contains("\"bindFailures\"", await http.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task DnsPortInUse_ExitsNamingTheAddressAndWhatToDo()
    {
        using var directory = new TempDirectory();
        directory.Write("zones/example.com.zone", Zone);
        var port = FreePort.Pick();
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, port));

        var (exitCode, _, stderr) = await ServerProcess.RunToExitAsync("--zones", directory["zones"], "--data", directory["data"], "--listen", $"127.0.0.1:{port}", "--admin", "off");

        Assert.Equal(1, exitCode);
        Assert.Contains($"cannot listen on 127.0.0.1:{port}: the port is in use by another program", stderr);
    }

    [Fact]
    public void PrivilegedPort_PermissionDenied_NamesTheCapability()
    {
        var message = ListenFailure.Describe(new IPEndPoint(IPAddress.Any, 53), new SocketException((int)SocketError.AccessDenied));

        Assert.StartsWith("cannot listen on 0.0.0.0:53: permission denied", message);
        Assert.Contains("CAP_NET_BIND_SERVICE", message);
    }

    [Fact]
    public async Task SecondInstanceOnTheSameDataDirectory_SaysSo_LeavesTheStoreAlone()
    {
        await using var first = await TestServer.StartAsync();
        var data = Path.Combine(first.Directory, "data");

        var (exitCode, _, stderr) = await ServerProcess.RunToExitAsync("--zones", first.ZoneDirectory, "--data", data, "--listen", "127.0.0.1:0", "--admin", "off");

        Assert.Equal(1, exitCode);
        Assert.Contains($"data directory {data} is in use by another running GeoDns", stderr);
        Assert.DoesNotContain("move it aside", stderr);
        Assert.Empty(Directory.GetFiles(data, "*damaged*")); // the running instance's store was not taken for damaged
    }

    [Fact]
    public async Task KeyFileNamedInTheConfig_Missing_IsAStartError()
    {
        using var directory = new TempDirectory();
        directory.Write("zones/example.com.zone", Zone);
        directory.Write("geodns.json", """{ "exchange": { "keyFiles": [ "xfr.key" ], "transfers": [ { "zone": "example.com", "keys": [ "xfr" ] } ] } }""");

        var (exitCode, _, stderr) = await ServerProcess.RunToExitAsync("--config", directory["geodns.json"], "--zones", directory["zones"], "--data", directory["data"],
            "--listen", "127.0.0.1:0", "--admin", "off");

        Assert.Equal(1, exitCode);
        Assert.Contains($"{directory["xfr.key"]}: no such file", stderr);
    }

    [Fact]
    public async Task EmptyZoneDirectoryAndBindStyleNames_WarnAtStart()
    {
        using var directory = new TempDirectory();
        directory.Write("zones/db.example.com", Zone);
        directory.Write("geodns.json", "{}");
        await using var server = await ServerProcess.StartAsync(directory.Path);

        Assert.Contains("holds no zone file: every query is answered REFUSED", server.Log);
        Assert.Contains("db.example.com is not served: only files named ORIGIN.zone are zones (rename it, e.g. example.com.zone", server.Log);
        using var http = server.NewHttpClient();
        Assert.Contains("db.example.com is not served", await http.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task StartAndReload_LogAZoneLineWithItsSerial_NoAllDownWarningBeforeTheFirstRound()
    {
        using var directory = new TempDirectory();
        directory.Write("zones/example.com.zone", Zone);
        var edge = new TcpListener(IPAddress.Parse("127.0.0.1"), 0);
        edge.Start();
        try
        {
            var port = ((IPEndPoint)edge.LocalEndpoint).Port;
            directory.Write("geodns.json", $$"""{ "pools": [ { "name": "app.example.com", "probe": { "port": {{port}} }, "edges": [ { "name": "e1", "ipv4": "127.0.0.1" } ] } ] }""");
            await using var server = await ServerProcess.StartAsync(directory.Path);

            Assert.Single(server.Lines, l => l.Contains($"Zone example.com. serial 1: 4 records from {directory["zones/example.com.zone"]}"));
            Assert.DoesNotContain("no edge is healthy", server.Log); // its edge is up: the start's Unknown is no news
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d ", server.Lines.First(l => l.Contains("Serving DNS"))); // ISO 8601 with the offset

            directory.Write("zones/example.com.zone", Zone.Replace(" 1 3600", " 2 3600", StringComparison.Ordinal));
            await Eventually.True(() => server.Log.Contains("Zone example.com. serial 2: 4 records"), "a zone line with the new serial on reload");
        }
        finally
        {
            edge.Stop();
        }
    }

    [Fact]
    public async Task Version_PrintsTheVersionWithTheCommit()
    {
        var (exitCode, stdout, _) = await ServerProcess.RunToExitAsync("--version");

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^geodns \d+\.\d+\.\d+", stdout);
    }

    [Fact]
    public async Task Check_ListsEachProblemWithFileAndLine_ExitCodeSaysWhetherItWouldStart()
    {
        using var directory = new TempDirectory();
        directory.Write("zones/example.com.zone", Zone);
        directory.Write("geodns.json", """{ "pools": [ { "name": "app.example.com", "edges": [ { "name": "e1", "ipv4": "127.0.0.11" } ] } ] }""");

        var good = await ServerProcess.RunToExitAsync("--check", "--config", directory["geodns.json"], "--zones", directory["zones"]);
        Assert.Equal(0, good.ExitCode);
        Assert.Contains("zone example.com. serial 1: 4 records", good.Stdout);
        Assert.Contains("ok: 1 zone(s), 1 pool(s)", good.Stdout);

        directory.Write("zones/example.org.zone", "$ORIGIN example.org.\n@ 300 IN SOA ns1 h 1 1 1 1 1\nwww 300 IN A 127.0.0.999\n");
        directory.Write("geodns.json", """{ "pools": [ { "name": "app.example.net", "edges": [ { "name": "e1", "ipv4": "127.0.0.11" } ] } ] }""");
        var bad = await ServerProcess.RunToExitAsync("--check", "--config", directory["geodns.json"], "--zones", directory["zones"]);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains($"error: {directory["zones/example.org.zone"]}:3: A address '127.0.0.999' is not an IPv4 address", bad.Stdout);
        Assert.Contains("app.example.net", bad.Stdout);
        Assert.False(Directory.Exists(directory["data"])); // a check opens no state file
    }
}
