using System.Net.Sockets;
using GeoDns.Protocol;
using GeoDns.Server;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>Response rate limiting over real UDP sockets: one client far over the rate.</summary>
public sealed class RateLimitTests
{
    private static readonly string BigZone = TestServer.ExampleZone + "\n" +
        string.Join("\n", Enumerable.Range(0, 4).Select(i => $"big TXT \"{new string((char)('a' + i), 200)}\"")) + "\n";

    /// <summary>Sends <paramref name="count"/> queries at once, then reads replies until none comes for a while.</summary>
    private static List<byte[]> Burst(TestServer server, byte[] query, int count)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = 1 << 20;
        socket.ReceiveTimeout = 500;
        for (var i = 0; i < count; i++) socket.SendTo(query, server.Endpoint);
        var replies = new List<byte[]>();
        var buffer = new byte[65535];
        try
        {
            while (replies.Count < count) replies.Add(buffer[..socket.Receive(buffer)]);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut) { }
        return replies;
    }

    [Fact]
    public async Task Udp_FloodOverTheRate_FullAnswersCappedTheRestSlippedOrDropped_TcpStillAnswers()
    {
        await using var server = await TestServer.StartAsync(BigZone, config: """{ "rrl": { "responsesPerSecond": 20, "slip": 2 } }""");
        var query = TestQuery.Build("big.example.com", DnsType.TXT, ednsPayload: 1232);

        var replies = Burst(server, query, 300);

        var full = replies.Count(r => !ReplyText.Parse(r).IsTruncated);
        var slipped = replies.Where(r => ReplyText.Parse(r).IsTruncated).ToList();
        Assert.InRange(full, 20, 40); // the burst, plus what refills while the flood is read
        Assert.InRange(slipped.Count, 50, 150); // every second limited reply (fewer if the kernel dropped part of the burst)
        Assert.All(slipped, r => Assert.True(r.Length < query.Length));
        using var tcp = server.ConnectTcp();
        TestServer.SendFramed(tcp.GetStream(), query);
        Assert.Equal(4, ReplyText.Parse(TestServer.ReadFramed(tcp.GetStream())!).AnswerRecords.Count);

        var metrics = await server.Http.GetStringAsync("/metrics");
        var (_, samples) = PrometheusText.Parse(metrics);
        double Action(string action) => samples.Single(s => s.Name == "geodns_rrl_responses_total" && s.Has(("action", action))).Value;
        Assert.Equal(slipped.Count, Action("slipped"));
        // The kernel may drop some of a 300-datagram burst before we read it: compare with what the server saw.
        var none = samples.Single(s => s.Name == "geodns_queries_total" && s.Has(("transport", "udp"), ("type", "TXT"), ("rcode", "none"))).Value;
        Assert.Equal(none, Action("dropped"));
        Assert.True(Action("dropped") > 50);
    }

    [Fact]
    public async Task Udp_ClientInExemptPrefix_EveryQueryAnswered()
    {
        await using var server = await TestServer.StartAsync(BigZone, config: """{ "rrl": { "responsesPerSecond": 20, "exempt": ["127.0.0.0/8"] } }""");

        var replies = Burst(server, TestQuery.Build("big.example.com", DnsType.TXT, ednsPayload: 1232), 100);

        Assert.Equal(100, replies.Count(r => !ReplyText.Parse(r).IsTruncated));
    }

    [Fact]
    public async Task Udp_LogOnly_EveryQueryAnsweredAndCounted()
    {
        await using var server = await TestServer.StartAsync(BigZone, config: """{ "rrl": { "responsesPerSecond": 20, "logOnly": true } }""");

        var replies = Burst(server, TestQuery.Build("big.example.com", DnsType.TXT, ednsPayload: 1232), 100);

        Assert.Equal(100, replies.Count(r => !ReplyText.Parse(r).IsTruncated));
        Assert.InRange(server.Service.Observations.RrlResponses![GeoDns.RateLimiting.RateLimitCounters.Logged], 50, 80);
    }

    [Fact]
    public async Task ConfigReload_RateRaised_AppliedToTheSameTable_BadValueNamedAndLastGoodKept()
    {
        await using var server = await TestServer.StartAsync(BigZone, config: """{ "rrl": { "responsesPerSecond": 20, "slip": 2 } }""");
        var query = TestQuery.Build("big.example.com", DnsType.TXT, ednsPayload: 1232);
        var seen = server.Service.Observations;
        Assert.InRange(Burst(server, query, 100).Count(r => !ReplyText.Parse(r).IsTruncated), 20, 40);
        var overLimit = seen.RrlResponses!.Sum();

        await File.WriteAllTextAsync(server.ConfigFile, """{ "rrl": { "responsesPerSecond": 100000, "slip": 2 } }""");
        await Eventually.True(() => seen.Snapshot.Defences.Rrl?.ResponsesPerSecond == 100000, "the new rate is applied");
        Assert.Equal(overLimit, seen.RrlResponses!.Sum()); // the same table and counters, reconfigured: a new limiter would count from 0
        Assert.Equal(100, Burst(server, query, 100).Count(r => !ReplyText.Parse(r).IsTruncated));

        await File.WriteAllTextAsync(server.ConfigFile, """{ "rrl": { "responsesPerSecond": 20, "slip": -3 } }""");
        await Eventually.True(() => seen.DefenceErrors.Count > 0, "the bad value is reported");
        Assert.StartsWith("rrl.slip:", Assert.Single(seen.DefenceErrors));
        // Counted just after the errors are set (Reloads.Config), so it may trail them by a moment. On a loaded
        // machine one write can reach the watcher as two changes more than its debounce apart: each reload fails and counts.
        await Eventually.True(() => server.Service.Observations.ReloadMetrics.Reloads("config", "error") >= 1, "the failed reload is counted");
        // What the admin is shown in force is the last good setting, not the file's.
        await Eventually.True(() => server.Service.Observations.Snapshot.Defences.Rrl is { ResponsesPerSecond: 100000, Slip: 2 }, "the snapshot carries the last good RRL settings");
        Assert.Equal(100, Burst(server, query, 100).Count(r => !ReplyText.Parse(r).IsTruncated));

        await File.WriteAllTextAsync(server.ConfigFile, """{ "rrl": { "enabled": false } }""");
        await Eventually.True(() => seen.RrlResponses is null, "RRL is turned off");
        Assert.Empty(seen.DefenceErrors);
        await Eventually.True(() => server.Service.Observations.Snapshot.Defences.Rrl is null, "the policy in force says RRL is off");
    }

    [Fact]
    public void Config_RrlOutOfRange_RejectedNamingTheKey()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{ "rrl": { "slip": -3 } }""");

            Assert.Null(CommandLine.Parse(["--config", path], out var error));
            Assert.Contains("rrl.slip", error);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
