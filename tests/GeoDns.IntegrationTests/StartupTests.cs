using System.Net;
using GeoDns.Configuration;
using GeoDns.Server;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>Start-up is honest: what is configured but cannot load stops the start (or, when asked, starts degraded and says so).</summary>
public sealed class StartupTests
{
    private const string BrokenZone = TestServer.ExampleZone + "\nbad  IN A   127.0.0.999\n";

    [Fact]
    public async Task BrokenZoneAtStart_RefusesToStart_NamesFileAndLine()
    {
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => TestServer.StartAsync(BrokenZone));

        Assert.Matches(@"zone not loaded: .*example\.com\.zone:7: A address '127\.0\.0\.999' is not an IPv4 address", error.Message);
        Assert.Contains("--degraded", error.Message);
    }

    [Fact]
    public async Task BrokenPoolAtStart_RefusesToStart_NamesKey()
    {
        using var edges = new LoopbackEdges(2);
        var config = edges.Config().Replace("\"allDown\": \"all\",", "\"allDown\": \"maybe\",");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => TestServer.StartAsync(config: config));

        Assert.Contains("pool(s) not loaded: app.example.com: pools[0].allDown: 'maybe' is not one of all, none, fallback", error.Message);
    }

    [Fact]
    public async Task BrokenZoneAtStart_Degraded_ServesTheRest_HealthzSays503()
    {
        using var directory = new TempDirectory();
        directory.Write("zones/example.net.zone", TestServer.ExampleZone.Replace("$ORIGIN example.com.", "$ORIGIN example.net."));
        await using var server = await TestServer.StartAsync(BrokenZone, directory: directory.Keep(), degraded: true);

        Assert.Equal(["www.example.net. 300 IN A 127.0.0.10"], server.Ask("www.example.net", 1).Answer());
        using var response = await server.Http.GetAsync("/healthz");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("\"status\": \"degraded\"", body);
        Assert.Contains("example.com.zone:7", body);
        Assert.Contains($"\"version\": \"{ProgramVersion.Text}\"", body);
        Assert.DoesNotContain("previous version", body); // never loaded: nothing older is served

        // Fixed while running: ready again.
        await File.WriteAllTextAsync(Path.Combine(server.ZoneDirectory, "example.com.zone"), TestServer.ExampleZone);
        await Eventually.True(() => server.Http.GetAsync("/healthz").Result.StatusCode == HttpStatusCode.OK, "/healthz says ready once the zone loads");
    }

    [Fact]
    public async Task ServerBinary_BrokenZone_ExitsNonZeroWithFileAndLine()
    {
        using var directory = new TempDirectory();
        directory.Write("zones/example.com.zone", BrokenZone);

        var (exitCode, log, stderr) = await ServerProcess.RunToExitAsync("--zones", directory["zones"], "--data", directory["data"], "--listen", "127.0.0.1:0", "--admin", "off");

        Assert.Equal(1, exitCode);
        Assert.Contains("example.com.zone:7: A address '127.0.0.999' is not an IPv4 address", stderr);
        // At start there is no previous version to keep, and the log does not claim one.
        Assert.Contains("Zone not loaded: ", log);
        Assert.DoesNotContain("previous version kept", log);
        Assert.DoesNotContain("Hosting failed to start", log); // no stack trace for a typo
    }

    [Fact]
    public async Task ServerBinary_ConfigError_OneLineNamingFileLineAndKey()
    {
        using var directory = new TempDirectory();
        directory.Write("geodns.json", "{\n  \"listen\": [ \"127.0.0.1:0\" ],\n  \"reloadDebounce\": true\n}");

        var (exitCode, _, stderr) = await ServerProcess.RunToExitAsync("--config", directory["geodns.json"], "--data", directory["data"]);

        Assert.Equal(2, exitCode);
        Assert.Equal($"geodns: {directory["geodns.json"]}:3: reloadDebounce: not a duration (write e.g. 5s, 1500ms, 3h)", stderr.Trim()); // no usage text after it
    }
}
