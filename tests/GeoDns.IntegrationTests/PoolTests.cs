using System.Diagnostics;
using ARSoft.Tools.Net.Dns;
using GeoDns.Health;
using GeoDns.Protocol;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

public sealed class PoolTests
{
    /// <summary>The pool's addresses, sorted: without a geo database their order rotates from query to query.</summary>
    private static string[] Addresses(TestServer server) =>
        server.Ask("app.example.com", DnsType.A).AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()).Order(StringComparer.Ordinal).ToArray();


    [Fact]
    public async Task EdgeStopped_LeavesAnswer_ReturnsWhenRestarted()
    {
        using var edges = new LoopbackEdges(3);
        await using var server = await TestServer.StartAsync(config: edges.Config());
        Assert.Equal([edges.Address(0), edges.Address(1), edges.Address(2)], Addresses(server));

        edges.Stop(1);
        // Configured bound: interval 1 s + timeout 0.5 s + re-probe 0.2 s + timeout 0.5 s; slack for a busy machine.
        await Eventually.True(() => !Addresses(server).Contains(edges.Address(1)), "the stopped edge leaves the answers", TimeSpan.FromSeconds(6));
        Assert.Equal([edges.Address(0), edges.Address(2)], Addresses(server));

        edges.Start(1);
        await Eventually.True(() => Addresses(server).Contains(edges.Address(1)), "the restarted edge is answered again", TimeSpan.FromSeconds(8));
        var events = server.Service.Observations.Transitions(target: $"tcp://{edges.Address(1)}:{edges.Port}");
        Assert.Equal([HealthState.Up, HealthState.Down, HealthState.Suspect, HealthState.Up], events.Select(e => e.To));
    }

    [Fact]
    public async Task DeadEdgeAtStart_NeverAnswered()
    {
        using var edges = new LoopbackEdges(3);
        edges.Stop(2);
        await using var server = await TestServer.StartAsync(config: edges.Config());

        Assert.Equal([edges.Address(0), edges.Address(1)], Addresses(server));
    }

    [Fact]
    public async Task AllDown_PolicyAll_EveryEdgeAnswered()
    {
        using var edges = new LoopbackEdges(3, start: false);
        await using var server = await TestServer.StartAsync(config: edges.Config("all"));

        Assert.Equal([edges.Address(0), edges.Address(1), edges.Address(2)], Addresses(server));
        Assert.True(server.Service.Observations.Snapshot.Routes.Pools[0].AllDown);
    }

    [Fact]
    public async Task AllDown_PolicyNone_NoData()
    {
        using var edges = new LoopbackEdges(2, start: false);
        await using var server = await TestServer.StartAsync(config: edges.Config("none"));

        var reply = server.Ask("app.example.com", DnsType.A);
        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.Empty(reply.AnswerRecords);
    }

    [Fact]
    public async Task AllDown_PolicyFallback_Cname()
    {
        using var edges = new LoopbackEdges(2, start: false);
        await using var server = await TestServer.StartAsync(config: edges.Config("fallback", "\"CNAME sorry.example.net.\""));

        // Answering by the allDown policy is degraded: the short TTL, so resolvers come back for the edges soon.
        Assert.Equal(["app.example.com. 5 IN CNAME sorry.example.net."], server.Ask("app.example.com", DnsType.A).AnswerRecords.Select(r => r.ToString()));
    }

    [Fact]
    public async Task Drain_OutOfAnswers_SurvivesRestart()
    {
        using var edges = new LoopbackEdges(2);
        string directory;
        var first = await TestServer.StartAsync(config: edges.Config());
        await using (first.KeepDirectory())
        {
            await first.Service.Operations!.SetDrainedAsync("edge-1", true, "maintenance");
            Assert.Equal([edges.Address(1)], Addresses(first));
            directory = first.Directory;
        }
        await using var restarted = await TestServer.StartAsync(config: edges.Config(), directory: directory);
        Assert.Equal([edges.Address(1)], Addresses(restarted));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task BrokenConfigEdit_KeepsLastGoodPools_ErrorNamesKey()
    {
        using var edges = new LoopbackEdges(2);
        await using var server = await TestServer.StartAsync(config: edges.Config());

        await File.WriteAllTextAsync(server.ConfigFile, edges.Config().Replace("\"ttl\": 30", "\"ttl\": 30, \"allDown\": \"maybe\"").Replace("\"allDown\": \"all\",", ""));
        await Eventually.True(() => server.Service.Observations.Snapshot.ConfigErrors.Count > 0, "the broken config is reported", TimeSpan.FromSeconds(5));

        Assert.Equal(["pools[0].allDown: 'maybe' is not one of all, none, fallback"], server.Service.Observations.Snapshot.ConfigErrors);
        Assert.Equal([edges.Address(0), edges.Address(1)], Addresses(server));
    }
}
