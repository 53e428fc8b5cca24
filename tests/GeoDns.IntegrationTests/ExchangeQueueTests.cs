using System.Net;
using System.Net.Sockets;
using GeoDns.Answering;
using GeoDns.Protocol;
using GeoDns.Testing;
using GeoDns.Tsig;

namespace GeoDns.IntegrationTests;

/// <summary>
/// The real host with its exchange queue full: transfers, NOTIFY, UPDATE and signed queries are turned away (a
/// datagram dropped and counted, a connection closed) while plain queries are answered, and served again once it drains.
/// </summary>
public sealed class ExchangeQueueTests
{
    /// <summary>
    /// Work of our own put on the server's queue: a response (the exchange stays silent on those) whose delivery waits
    /// at <paramref name="gate"/>, so a worker that takes it is held there as by an UPDATE awaiting its publish.
    /// </summary>
    private sealed class HeldWork(ManualResetEventSlim gate, Action taken) : ExchangeJob([0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0], IPAddress.Loopback, tcp: true)
    {
        public override void Deliver(IReadOnlyList<byte[]> replies)
        {
            taken();
            gate.Wait(TimeSpan.FromSeconds(20));
        }
    }

    private static byte[] SignedSoaQuery(string keyFile)
    {
        var key = Assert.Single(TsigKeyFile.Load(keyFile, []));
        return TsigSigner.SignRequest(TestQuery.Build("example.com", DnsType.SOA), key, DateTimeOffset.UtcNow).Message;
    }

    private static byte[] SignedAxfr(string keyFile)
    {
        var key = Assert.Single(TsigKeyFile.Load(keyFile, []));
        return TsigSigner.SignRequest(TestQuery.Build("example.com", DnsType.AXFR), key, DateTimeOffset.UtcNow).Message;
    }

    private static byte Rcode(byte[] reply) => (byte)(reply[3] & 0xF);

    /// <summary>The first reply to <paramref name="query"/> on a new connection; null when the server closed it instead.</summary>
    private static byte[]? OverTcp(TestServer server, byte[] query)
    {
        using var client = server.ConnectTcp();
        TestServer.SendFramed(client.GetStream(), query);
        try { return TestServer.ReadFramed(client.GetStream()); }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return null; // closed with unread data: a reset rather than an end of stream, closed all the same
        }
    }

    private static async Task<double> RefusedMetric(TestServer server) =>
        PrometheusText.Parse(await server.Http.GetStringAsync("/metrics")).Samples.Single(s => s.Name == "geodns_exchange_refused_total").Value;

    /// <param name="workers">The config's <c>exchange.workers</c>, null for the default.</param>
    /// <param name="queue">The config's <c>exchange.queue</c>, null for the default.</param>
    [Theory]
    [InlineData(32, null, null)]
    [InlineData(1, null, null)]
    [InlineData(32, 1, 16)]
    public async Task QueueFull_UdpDroppedAndCounted_TcpClosed_QueriesAnswered_ServedAgainOnceDrained(int udpBatch, int? workerCount, int? queueSize)
    {
        var sizes = (workerCount is { } w ? $", \"workers\": {w}" : "") + (queueSize is { } q ? $", \"queue\": {q}" : "");
        await using var x = await ExchangeServer.StartAsync(extraConfig: $$""", "transport": { "udpBatch": {{udpBatch}} }""", extraExchange: sizes);
        var (threads, capacity) = (workerCount ?? ExchangeWorkers.DefaultWorkers, queueSize ?? ExchangeWorkers.DefaultCapacity);
        var server = x.Server;
        var workers = server.Service.ExchangeWorkers;
        using var gate = new ManualResetEventSlim();
        var held = 0;
        try
        {
            // Every worker held, then every place in the queue taken: the next exchange message finds it full.
            for (var i = 0; i < threads; i++) Assert.True(workers.TryPost(new HeldWork(gate, () => Interlocked.Increment(ref held))));
            await Eventually.True(() => Volatile.Read(ref held) == threads, "every worker is held");
            for (var i = 0; i < capacity; i++) Assert.True(workers.TryPost(new HeldWork(gate, () => Interlocked.Increment(ref held))));
            Assert.Equal(capacity, workers.Waiting);
            await Task.Delay(200);
            Assert.Equal(threads, Volatile.Read(ref held)); // no other thread takes work

            var udpWhileFull = server.Udp(SignedSoaQuery(x.XfrKey), timeoutMs: 500);
            await Eventually.True(async () => await RefusedMetric(server) == 1, "the dropped datagram is counted");
            var tcpWhileFull = OverTcp(server, SignedAxfr(x.XfrKey));
            var plainUdp = server.Ask("www.example.com", DnsType.A);
            var plainTcp = OverTcp(server, TestQuery.Build("www.example.com", DnsType.A));

            Assert.Null(udpWhileFull);
            Assert.Null(tcpWhileFull);
            Assert.Equal(2, await RefusedMetric(server));
            Assert.Equal(["www.example.com. 300 IN A 127.0.0.10"], plainUdp.Answer());
            Assert.Equal(["www.example.com. 300 IN A 127.0.0.10"], ReplyText.Parse(plainTcp!).Answer());
        }
        finally
        {
            gate.Set();
        }

        await Eventually.True(() => workers.Waiting == 0, "the queue drains");
        var udpAfter = server.Udp(SignedSoaQuery(x.XfrKey));
        var tcpAfter = OverTcp(server, SignedAxfr(x.XfrKey));

        Assert.Equal(GeoDns.Protocol.Rcode.NoError, Rcode(udpAfter!));
        Assert.Single(ReplyText.Parse(udpAfter!).AnswerRecords.OfType<ARSoft.Tools.Net.Dns.SoaRecord>());
        Assert.Equal(GeoDns.Protocol.Rcode.NoError, Rcode(tcpAfter!));
        Assert.Equal(2, await RefusedMetric(server));
    }
}
