namespace GeoDns.Sidecar.Tests;

/// <summary>
/// deploy/demo.sh and deploy/sidecar-demo.sh as a new user meets them: right after starting the README's
/// own server (127.0.0.1:5353, admin :8053), and then once more. Each run must show an edge leaving the
/// answer and coming back (demo.sh), or edge-2 replaced on both nameservers (sidecar-demo.sh).
/// </summary>
[Collection(ReleaseBuilds.Name)]
public sealed class DemoTests
{
    [SkippableFact]
    public async Task Demo_BesideTheReadmesServer_RunsTwiceInARow()
    {
        Skip.If(Executables.Find("dig") is null || Executables.Find("python3") is null, "the demo needs dig and python3");
        Skip.IfNot(ReadmeServer.PortsFree(), $"127.0.0.1:{ReadmeServer.DnsPort} or :{ReadmeServer.AdminPort} is taken by something else on this machine");
        await using var server = await ReadmeServer.StartAsync();

        foreach (var run in new[] { "first", "second" })
        {
            var demo = await Script.RunAsync(Repository.File("deploy/demo.sh"), [], TimeSpan.FromMinutes(5));

            Assert.True(demo.ExitCode == 0, $"{run} run: {demo.Describe()}");
            Assert.Contains("127.0.30.11 127.0.30.13 \n", demo.Stdout); // edge-sgp out of the answer
            Assert.Contains("Down -> Up", demo.Stdout); // and back
        }
        await AssertReadmeServerAnswers();
    }

    [SkippableFact]
    public async Task SidecarDemo_BesideTheReadmesServer_RunsTwiceInARow()
    {
        Skip.If(Executables.Find("dig") is null || Executables.Find("python3") is null, "the demo needs dig and python3");
        Skip.IfNot(ReadmeServer.PortsFree(), $"127.0.0.1:{ReadmeServer.DnsPort} or :{ReadmeServer.AdminPort} is taken by something else on this machine");
        await using var server = await ReadmeServer.StartAsync();

        foreach (var run in new[] { "first", "second" })
        {
            var demo = await Script.RunAsync(Repository.File("deploy/sidecar-demo.sh"), [], TimeSpan.FromMinutes(5));

            Assert.True(demo.ExitCode == 0, $"{run} run: {demo.Describe()}");
            Assert.Contains("#1 edge-2 -> edge-2-r1: Completed at Done", demo.Stdout);
            Assert.Contains("app.example.com on both nameservers: 127.77.0.100 127.77.0.11", demo.Stdout);
        }
        await AssertReadmeServerAnswers();
    }

    /// <summary>The README's server is untouched by the demos.</summary>
    private static async Task AssertReadmeServerAnswers() =>
        Assert.Contains("www.example.com.", (await Script.RunAsync("dig", ["+tries=1", "+time=2", "@127.0.0.1", "-p", $"{ReadmeServer.DnsPort}", "www.example.com", "A"], TimeSpan.FromSeconds(10))).Stdout);
}
