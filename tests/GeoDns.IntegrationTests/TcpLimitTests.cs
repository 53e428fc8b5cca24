using System.Net;
using System.Net.Sockets;
using GeoDns.Answering;
using GeoDns.Protocol;
using GeoDns.Testing;
using GeoDns.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoDns.IntegrationTests;

/// <summary>TCP that cannot be held hostage (RFC 7766 §6.2.3, RFC 7828), over real sockets.</summary>
public sealed class TcpLimitTests
{
    private static TcpClient Connect(IPEndPoint server, string from = "127.0.0.1")
    {
        var client = new TcpClient(new IPEndPoint(IPAddress.Parse(from), 0));
        client.Connect(server);
        client.ReceiveTimeout = 5000;
        return client;
    }

    private static bool Answered(TcpClient client)
    {
        try
        {
            TestServer.SendFramed(client.GetStream(), TestQuery.Build("example.com", DnsType.A));
            return TestServer.ReadFramed(client.GetStream()) is not null; // the empty table refuses every name, but a refusal is an answer
        }
        catch (IOException)
        {
            return false; // reset by the server
        }
    }

    private static void Eventually(Func<bool> condition, string what)
    {
        for (var i = 0; i < 100 && !condition(); i++) Thread.Sleep(50);
        Assert.True(condition(), what);
    }

    [Fact]
    public void SlotsFull_NewClientClosesTheLongestIdleConnection()
    {
        var options = new TransportOptions { MaxTcpConnections = 2, TcpIdleTimeout = TimeSpan.FromSeconds(30) };
        using var tcp = new TcpTransport(new IPEndPoint(IPAddress.Loopback, 0), new Responder(), options, NullLogger.Instance);
        using var oldest = Connect(tcp.LocalEndPoint);
        Eventually(() => tcp.Open == 1, "the first connection is open");
        using var younger = Connect(tcp.LocalEndPoint);
        Eventually(() => tcp.Open == 2, "the second connection is open");

        using var newcomer = Connect(tcp.LocalEndPoint);

        Assert.True(Answered(newcomer));
        Assert.True(Answered(younger));
        Assert.False(Answered(oldest));
    }

    [Fact]
    public void PrefixAtItsLimit_RefusedWhileOtherPrefixesAreServed()
    {
        var options = new TransportOptions { MaxTcpConnections = 16, MaxTcpConnectionsPerPrefix = 2 };
        using var tcp = new TcpTransport(new IPEndPoint(IPAddress.Any, 0), new Responder(), options, NullLogger.Instance);
        var server = new IPEndPoint(IPAddress.Loopback, tcp.LocalEndPoint.Port);
        using var first = Connect(server, "127.0.0.1");
        using var second = Connect(server, "127.0.0.2");
        Eventually(() => tcp.Open == 2, "two connections from 127.0.0.0/24 are open");

        using var third = Connect(server, "127.0.0.3");
        using var elsewhere = Connect(server, "127.0.1.1");

        Assert.False(Answered(third));
        Assert.True(Answered(elsewhere));
        Assert.True(Answered(first));
    }

    [Fact]
    public void ClientThatNeverReads_LosesItsConnectionAfterTheSendTimeout()
    {
        var zone = TestServer.ExampleZone + "\n" + string.Join("\n", Enumerable.Range(0, 40).Select(i => $"big TXT \"{new string('x', 250)}{i}\"")) + "\n";
        var responder = new Responder();
        var parsed = GeoDns.Zones.ZoneFileParser.Parse(zone, DnsName.Parse("example.com"), "example.com.zone");
        responder.Table = AnswerTableBuilder.Build(new GeoDns.Zones.ZoneSet([parsed.Zone!], []));
        var options = new TransportOptions { TcpSendTimeout = TimeSpan.FromMilliseconds(500), TcpSendBufferBytes = 8192 };
        using var tcp = new TcpTransport(new IPEndPoint(IPAddress.Loopback, 0), responder, options, NullLogger.Instance);
        using var reader = Connect(tcp.LocalEndPoint);
        var hog = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        using (hog)
        {
            hog.Connect(tcp.LocalEndPoint);
            // 10 KB replies, pipelined, never read: the send buffers fill and the server's send stalls.
            var query = TestQuery.Build("big.example.com", DnsType.TXT);
            byte[] framed = [(byte)(query.Length >> 8), (byte)query.Length, .. query];
            for (var i = 0; i < 200; i++)
                if (hog.Send(framed, SocketFlags.None, out _) <= 0) break;

            Eventually(() => tcp.Open == 1, "the non-reading connection was closed; the reader's stays");
            Assert.True(Answered(reader));
        }
    }

    [Fact]
    public void KeepaliveAsked_ToldTheIdleTimeoutInHundredsOfMs_OverUdpNot()
    {
        var options = new TransportOptions { UdpSockets = 1, TcpIdleTimeout = TimeSpan.FromSeconds(7) };
        using var listener = new DnsListener(new IPEndPoint(IPAddress.Loopback, 0), new Responder(), options, NullLogger.Instance);
        var query = TestQuery.WithOption(TestQuery.Build("example.com", DnsType.A, ednsPayload: 1232), QueryParser.KeepaliveOption);
        using var client = Connect(listener.LocalEndPoint);

        TestServer.SendFramed(client.GetStream(), query);
        var reply = TestServer.ReadFramed(client.GetStream())!;

        Assert.Equal([0, 11, 0, 2, 0, 70], reply[^6..]); // option 11, length 2, 70 × 100 ms
        using var udp = new UdpClient();
        udp.Send(query, listener.LocalEndPoint);
        IPEndPoint? from = null;
        udp.Client.ReceiveTimeout = 2000;
        var datagram = udp.Receive(ref from);
        Assert.NotEqual([0, 11, 0, 2], datagram[^6..^2]);
    }
}
