using System.Net;
using System.Net.Sockets;
using GeoDns.Answering;
using GeoDns.Diagnostics;
using GeoDns.Protocol;
using GeoDns.RateLimiting;
using GeoDns.Testing;
using GeoDns.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>Exchange work (here an <see cref="IMessageExchange"/> double) off the receive threads: its failures end no loop, its replies pass RRL, its waits hold no TCP slot.</summary>
public sealed class ExchangeFaultTests
{
    private sealed class ExchangeDouble(Func<byte[], IEnumerable<byte[]>> reply) : IMessageExchange
    {
        public IEnumerable<byte[]> Exchange(byte[] message, IPAddress client, bool tcp) => reply(message);
    }

    private static Responder Responder(Func<byte[], IEnumerable<byte[]>> exchange)
    {
        var parsed = GeoDns.Zones.ZoneFileParser.Parse(TestServer.ExampleZone, DnsName.Parse("example.com"), "example.com.zone");
        return new Responder { Table = AnswerTableBuilder.Build(new GeoDns.Zones.ZoneSet([parsed.Zone!], [])), Exchange = new ExchangeDouble(exchange) };
    }

    /// <summary>A reply from a fresh socket (a new source port each time, so SO_REUSEPORT spreads them over every socket); null on timeout.</summary>
    private static byte[]? AskFromNewPort(IPEndPoint server, byte[] query)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 2000 };
        socket.SendTo(query, server);
        var buffer = new byte[4096];
        try { return buffer[..socket.Receive(buffer)]; }
        catch (SocketException) { return null; }
    }

    private static readonly byte[] Axfr = TestQuery.Build("example.com", DnsType.AXFR);

    [Theory]
    [InlineData(32)]
    [InlineData(1)]
    public void ExchangeThrows_EachMessageServFailedAndCounted_EverySocketStillAnswers(int batch)
    {
        var responder = Responder(_ => throw new IOException("No space left on device (test double)"));
        try
        {
            using var listener = new DnsListener(new IPEndPoint(IPAddress.Loopback, 0), responder, new TransportOptions { UdpSockets = 4, UdpBatch = batch }, NullLogger.Instance);

            // 40 diverted messages from 40 source ports reach every one of the 4 sockets (before, the first one a socket got ended its loop).
            var servFails = Enumerable.Range(0, 40).Count(_ => AskFromNewPort(listener.LocalEndPoint, Axfr) is { Length: >= 12 } r && (r[3] & 0xF) == 2);
            var answered = Enumerable.Range(0, 200).Count(_ => AskFromNewPort(listener.LocalEndPoint, TestQuery.Build("www.example.com", DnsType.A)) is not null);

            Assert.Equal(40, servFails);
            Assert.Equal(200, answered);
            Assert.Equal(40, responder.InternalErrors.Total(InternalErrors.Exchange));
            Assert.Empty(listener.Udp.Problems);
        }
        finally
        {
            responder.Exchanges.Dispose();
        }
    }

    [Fact]
    public void ExchangeRepliesOverUdp_PassRrl()
    {
        var responder = Responder(message => [[.. message[..2], 0x80, 0, .. new byte[8]]]);
        responder.RateLimiter = new RateLimiter(new RateLimitOptions { ResponsesPerSecond = 2, Slip = 0 }, new FakeTimeProvider(), NullLogger.Instance);
        try
        {
            using var listener = new DnsListener(new IPEndPoint(IPAddress.Loopback, 0), responder, new TransportOptions { UdpSockets = 1 }, NullLogger.Instance);
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 300 };
            var buffer = new byte[512];
            var replies = 0;
            for (var i = 0; i < 20; i++)
            {
                socket.SendTo(Axfr, listener.LocalEndPoint);
                try { if (socket.Receive(buffer) > 0) replies++; }
                catch (SocketException) { }
            }

            // The clock stands still: a bucket's burst (2) and nothing more; before, all 20 went out.
            Assert.Equal(2, replies);
            Assert.Equal(18, responder.RateLimiter.Counters.Total(RateLimitCounters.Dropped));
        }
        finally
        {
            responder.Exchanges.Dispose();
        }
    }

    [Fact]
    public void TcpWaitingForTheExchange_HoldsNoSlot_EvictedForANewClient()
    {
        using var release = new ManualResetEventSlim();
        var responder = Responder(message =>
        {
            release.Wait(TimeSpan.FromSeconds(10)); // an UPDATE waiting for its publish, say
            return [message];
        });
        var options = new TransportOptions { UdpSockets = 1, MaxTcpConnections = 1, TcpIdleTimeout = TimeSpan.FromSeconds(30), TcpMinIdleTimeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var listener = new DnsListener(new IPEndPoint(IPAddress.Loopback, 0), responder, options, NullLogger.Instance);
            using var waiting = new TcpClient();
            waiting.Connect(listener.LocalEndPoint);
            waiting.ReceiveTimeout = 5000;
            TestServer.SendFramed(waiting.GetStream(), Axfr);
            for (var i = 0; i < 100 && responder.Exchanges.Waiting > 0; i++) Thread.Sleep(20); // the worker has it

            using var newcomer = new TcpClient();
            newcomer.Connect(listener.LocalEndPoint);
            newcomer.ReceiveTimeout = 5000;
            TestServer.SendFramed(newcomer.GetStream(), TestQuery.Build("www.example.com", DnsType.A));

            // Before, the waiting connection counted as busy: the only slot could not be freed and the newcomer was refused.
            Assert.NotNull(TestServer.ReadFramed(newcomer.GetStream()));
            Assert.Null(ReadOrNull(waiting));
        }
        finally
        {
            release.Set();
            responder.Exchanges.Dispose();
        }
    }

    [Fact]
    public void TcpExchangeRepliesToAClientThatNeverReads_GoUnderTheSendTimeout()
    {
        var chunk = new byte[60_000];
        using var called = new ManualResetEventSlim();
        var responder = Responder(message =>
        {
            called.Set();
            return Enumerable.Repeat(chunk, 100); // a large transfer, say
        });
        var options = new TransportOptions { TcpSendTimeout = TimeSpan.FromMilliseconds(500), TcpSendBufferBytes = 8192 };
        try
        {
            using var tcp = new TcpTransport(new IPEndPoint(IPAddress.Loopback, 0), responder, options, NullLogger.Instance);
            using var hog = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
            hog.Connect(tcp.LocalEndPoint);
            hog.Send([(byte)(Axfr.Length >> 8), (byte)Axfr.Length, .. Axfr]); // and never read

            Assert.True(called.Wait(TimeSpan.FromSeconds(5)), "the exchange got the message");

            // Before, exchange replies were sent without a timeout: the connection and its slot stayed taken for good.
            for (var i = 0; i < 100 && tcp.Open > 0; i++) Thread.Sleep(50);
            Assert.Equal(0, tcp.Open);
        }
        finally
        {
            responder.Exchanges.Dispose();
        }
    }

    private static byte[]? ReadOrNull(TcpClient client)
    {
        try { return TestServer.ReadFramed(client.GetStream()); }
        catch (IOException) { return null; }
    }
}
