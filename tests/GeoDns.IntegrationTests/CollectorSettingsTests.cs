using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// The server binary as shipped runs the collector its project chose (GeoDns.Server.csproj: server GC, one heap,
/// background gen 2), and says so in /metrics; an operator's DOTNET_ variable still wins.
/// </summary>
public sealed class CollectorSettingsTests
{
    [Fact]
    public async Task TheShippedBinary_RunsServerGcWithOneHeap()
    {
        var info = await CollectorInfo(environment: null);
        Assert.Equal(("server", "true", "1"), (info["mode"], info["concurrent"], info["heaps"]));
    }

    [Fact]
    public async Task AnOperatorsEnvironment_ChoosesAnotherCollector()
    {
        Assert.Equal("workstation", (await CollectorInfo(new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" }))["mode"]);
    }

    private static async Task<IReadOnlyDictionary<string, string>> CollectorInfo(IReadOnlyDictionary<string, string>? environment)
    {
        using var directory = new TempDirectory();
        directory.Write("zones/example.com.zone", TestServer.ExampleZone);
        directory.Write("geodns.json", "{}");
        await using var server = await ServerProcess.StartAsync(directory.Path, environment);
        using var http = server.NewHttpClient();
        var (_, samples) = PrometheusText.Parse(await http.GetStringAsync("/metrics"));
        return samples.Single(s => s.Name == "geodns_gc_info").Labels;
    }
}
