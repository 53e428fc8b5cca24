using System.Diagnostics;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using GeoDns.Health;
using GeoDns.Protocol;

namespace GeoDns.IntegrationTests;

/// <summary>
/// The real server against edges that fail the ways VPS fail: black-holed (a listener whose full
/// backlog drops every SYN) one at a time, and all at once, which is this nameserver's own outage.
/// Probe settings from <see cref="LoopbackEdges.Config"/>: interval 1 s, timeout 500 ms.
/// </summary>
public sealed class HealthEdgeTests
{
    private static string[] Addresses(TestServer server) =>
        server.Ask("app.example.com", DnsType.A).AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()).Order(StringComparer.Ordinal).ToArray();

    private static async Task Until(Func<bool> done, TimeSpan bound, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > bound) throw new TimeoutException($"not {what} within {bound.TotalSeconds} s");
            await Task.Delay(50);
        }
    }

    private static IEnumerable<HealthTransition> Transitions(TestServer server, LoopbackEdges edges, int edge) =>
        server.Service.Observations.Transitions(target: $"tcp://{edges.Address(edge)}:{edges.Port}");

    [Fact]
    public async Task BlackHoledEdge_LeavesTheAnswer_OthersStay_NotTakenForOurOwnOutage()
    {
        using var edges = new LoopbackEdges(3);
        await using var server = await TestServer.StartAsync(config: edges.Config());

        edges.BlackHole(1);
        // Bound: interval 1 s + two 300 ms connect timeouts (the floor) (the probe, then its confirming round); slack for a busy machine.
        await Until(() => !Addresses(server).Contains(edges.Address(1)), TimeSpan.FromSeconds(6), "out of the answer");

        // Asserted at once: the two healthy edges never left (HealthyEdgeTests checks every answer).
        Assert.Equal([edges.Address(0), edges.Address(2)], Addresses(server));
        var down = Transitions(server, edges, 1).First();
        Assert.Equal((HealthState.Suspect, HealthState.Down), (down.From, down.To));
        // The floor (300 ms), or more if this busy machine made the edge's connect time look longer.
        Assert.Matches("all 8 confirming probes failed: timeout after [0-9]+ ms", down.Reason);
        Assert.Empty(server.Service.Observations.Probes.Isolated);

        edges.Start(1);
        await Until(() => Addresses(server).Contains(edges.Address(1)), TimeSpan.FromSeconds(8), "back in the answer");
    }

    [Fact]
    public async Task EveryEdgeSilentAtOnce_AnswersKept_SaidLoudly_NoneFlapsWhenTheyReturn()
    {
        using var edges = new LoopbackEdges(3);
        await using var server = await TestServer.StartAsync(config: edges.Config());
        string[] all = [edges.Address(0), edges.Address(1), edges.Address(2)];

        for (var i = 0; i < 3; i++) edges.BlackHole(i);
        await Until(() => server.Service.Observations.Probes.Isolated.ContainsKey(AddressFamily.InterNetwork), TimeSpan.FromSeconds(6), "isolated");
        for (var i = 0; i < 20; i++, await Task.Delay(100)) Assert.Equal(all, Addresses(server)); // two seconds of outage: answers as they were

        Assert.Contains("no IPv4 probe gets a reply since", await server.Http.GetStringAsync("/healthz"));
        Assert.Contains("geodns_probe_isolated{family=\"ipv4\"} 1", await server.Http.GetStringAsync("/metrics"));

        for (var i = 0; i < 3; i++) edges.Start(i);
        await Until(() => server.Service.Observations.Probes is { Isolated.Count: 0 } report && report.Targets.Values.All(s => s.State == HealthState.Up),
            TimeSpan.FromSeconds(6), "every edge Up, isolation over");
        Assert.Equal(all, Addresses(server));
        for (var i = 0; i < 3; i++) Assert.DoesNotContain(Transitions(server, edges, i), t => t.To == HealthState.Down);
    }
}
