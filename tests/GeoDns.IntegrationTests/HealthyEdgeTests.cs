using System.Diagnostics;
using ARSoft.Tools.Net.Dns;
using GeoDns.Protocol;

namespace GeoDns.IntegrationTests;

/// <summary>
/// A healthy edge is in every answer, from the first one the server gives, while another edge dies and
/// while the probe settings are retuned: no blip. Each answer is read as a user's resolver reads it, over UDP.
/// </summary>
public sealed class HealthyEdgeTests
{
    private static string[] Addresses(TestServer server) =>
        server.Ask("app.example.com", DnsType.A).AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Asks every 10 ms for <paramref name="span"/> (or until <paramref name="until"/>); fails on the first answer without a healthy edge, saying what health said of it.</summary>
    private static async Task<int> EveryAnswerHolds(TestServer server, LoopbackEdges edges, int[] healthy, TimeSpan span, Func<string[], bool>? until = null)
    {
        var clock = Stopwatch.StartNew();
        var asked = 0;
        while (clock.Elapsed < span)
        {
            var answer = Addresses(server);
            asked++;
            foreach (var edge in healthy)
                if (!answer.Contains(edges.Address(edge)))
                    Assert.Fail($"answer {asked} at {clock.ElapsedMilliseconds} ms lacks the healthy edge {edges.Address(edge)}: [{string.Join(", ", answer)}]; " +
                        $"its status {Describe(server, edges, edge)}");
            if (until?.Invoke(answer) == true) return asked;
            await Task.Delay(10);
        }
        return until is null ? asked : throw new TimeoutException($"not done within {span.TotalSeconds} s");
    }

    private static string Describe(TestServer server, LoopbackEdges edges, int edge)
    {
        var target = $"tcp://{edges.Address(edge)}:{edges.Port}";
        var status = server.Service.Observations.Probes.Targets.FirstOrDefault(t => t.Key.ToString() == target).Value;
        var transitions = server.Service.Observations.Transitions(target: target).Select(t => $"{t.From}->{t.To} ({t.Reason})");
        return $"{status?.State} failures={status?.ConsecutiveFailures} last={status?.LastProbe?.Error ?? "ok"}; transitions (newest first): {string.Join("; ", transitions)}";
    }

    [Theory]
    [InlineData("stop")]
    [InlineData("black-hole")]
    public async Task HealthyEdges_InEveryAnswer_FromTheFirst_WhileAnotherDies(string failure)
    {
        using var edges = new LoopbackEdges(3);
        await using var server = await TestServer.StartAsync(config: edges.Config());

        await EveryAnswerHolds(server, edges, [0, 1, 2], TimeSpan.FromSeconds(1.5));
        if (failure == "stop") edges.Stop(1);
        else edges.BlackHole(1);
        await EveryAnswerHolds(server, edges, [0, 2], TimeSpan.FromSeconds(8), until: answer => !answer.Contains(edges.Address(1)));
        await EveryAnswerHolds(server, edges, [0, 2], TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task HealthyEdges_InEveryAnswer_WhileTheProbeSettingsAreRetuned()
    {
        using var edges = new LoopbackEdges(3);
        edges.Stop(1);
        await using var server = await TestServer.StartAsync(config: edges.Config(allDown: "none"));
        await EveryAnswerHolds(server, edges, [0, 2], TimeSpan.FromSeconds(0.5));

        // The same edges probed every 2 s instead of every 1 s: the kept targets keep their state, and no answer
        // is built while the pool's edges look Unknown (that answer was allDown: NODATA here, every edge with "all").
        await File.WriteAllTextAsync(server.ConfigFile, edges.Config(allDown: "none").Replace("\"interval\": \"1s\"", "\"interval\": \"2s\""));
        server.Service.Operations!.ReloadConfig();
        await EveryAnswerHolds(server, edges, [0, 2], TimeSpan.FromSeconds(1.5));
        Assert.Equal(TimeSpan.FromSeconds(2), server.Service.Observations.Snapshot.Pools.Pools[0].Probe.Interval);
        Assert.DoesNotContain(edges.Address(1), Addresses(server));
    }
}
