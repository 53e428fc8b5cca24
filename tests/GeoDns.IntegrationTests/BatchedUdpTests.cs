using System.Net;
using System.Net.Sockets;
using GeoDns.Answering;
using GeoDns.Protocol;
using GeoDns.Testing;
using GeoDns.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoDns.IntegrationTests;

/// <summary>The Linux recvmmsg/sendmmsg loop over real sockets: many clients, bad datagrams, wildcard addresses, IPv6.</summary>
public sealed class BatchedUdpTests
{
    private static Responder Responder()
    {
        var parsed = GeoDns.Zones.ZoneFileParser.Parse(TestServer.ExampleZone, DnsName.Parse("example.com"), "example.com.zone");
        return new Responder { Table = AnswerTableBuilder.Build(new GeoDns.Zones.ZoneSet([parsed.Zone!], [])) };
    }

    private static DnsListener Listen(IPAddress address, int sockets = 1) =>
        new(new IPEndPoint(address, 0), Responder(), new TransportOptions { UdpSockets = sockets, UdpBatch = 32 }, NullLogger.Instance);

    private static byte[]? Ask(Socket socket, EndPoint server, byte[] query)
    {
        socket.SendTo(query, server);
        var buffer = new byte[4096];
        try { return buffer[..socket.Receive(buffer)]; }
        catch (SocketException) { return null; }
    }

    [SkippableFact]
    public async Task ManyConcurrentClientsWithMalformedDatagramsMixedIn_EveryQueryAnswered()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "batched UDP is Linux only");
        using var listener = Listen(IPAddress.Loopback, sockets: 2);
        Assert.True(listener.Udp.Batched);
        byte[][] garbage = [[], [1, 2, 3], new byte[11], [0xAB, 0xCD, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0], new byte[9000], [.. Enumerable.Range(0, 300).Select(i => (byte)i)]];

        var counts = await Task.WhenAll(Enumerable.Range(0, 16).Select(c => Task.Run(() =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 3000 };
            var answered = 0;
            for (ushort i = 0; i < 100; i++)
            {
                socket.SendTo(garbage[i % garbage.Length], listener.LocalEndPoint); // answered with FORMERR or not at all: drained below by id
                var id = (ushort)(c << 8 | i);
                socket.SendTo(TestQuery.Build("www.example.com", DnsType.A, id: id, ednsPayload: 1232), listener.LocalEndPoint);
                var buffer = new byte[4096];
                try
                {
                    while (true)
                    {
                        var length = socket.Receive(buffer);
                        if (length >= 12 && TestQuery.Id(buffer) == id)
                        {
                            if (ReplyText.Parse(buffer[..length]).Answer() is ["www.example.com. 300 IN A 127.0.0.10"]) answered++;
                            break;
                        }
                    }
                }
                catch (SocketException) { }
            }
            return answered;
        })));

        Assert.All(counts, n => Assert.Equal(100, n));
    }

    [SkippableFact]
    public void SteadyQueries_AllocateNothing()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "batched UDP is Linux only");
        using var listener = Listen(IPAddress.Loopback);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 3000 };
        var query = TestQuery.Build("www.example.com", DnsType.A, ednsPayload: 1232);
        for (var i = 0; i < 3000; i++) Assert.NotNull(Ask(socket, listener.LocalEndPoint, query)); // warm up: JIT tiers

        var before = listener.Udp.AllocatedBytes;
        for (var i = 0; i < 2000; i++) Assert.NotNull(Ask(socket, listener.LocalEndPoint, query));

        Assert.Equal(before, listener.Udp.AllocatedBytes);
    }

    [SkippableFact]
    public void WildcardAddress_ReplyLeavesFromTheAddressAsked()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "batched UDP is Linux only");
        using var listener = Listen(IPAddress.Any);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        client.Client.ReceiveTimeout = 3000;
        // A connected socket takes datagrams from the address it is connected to only.
        client.Connect(new IPEndPoint(IPAddress.Parse("127.0.0.5"), listener.LocalEndPoint.Port));

        client.Send(TestQuery.Build("www.example.com", DnsType.A, ednsPayload: 1232));
        IPEndPoint? from = null;
        var reply = client.Receive(ref from);

        Assert.Equal(IPAddress.Parse("127.0.0.5"), from!.Address);
        Assert.Single(ReplyText.Parse(reply).AnswerRecords);
    }

    [SkippableFact]
    public void Ipv6Loopback_AnsweredOnBothPlainAndWildcard()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Socket.OSSupportsIPv6, "batched UDP is Linux only; IPv6 needed");
        foreach (var address in new[] { IPAddress.IPv6Loopback, IPAddress.IPv6Any })
        {
            using var listener = Listen(address);
            using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 3000 };
            socket.Connect(new IPEndPoint(IPAddress.IPv6Loopback, listener.LocalEndPoint.Port));

            var reply = Ask(socket, new IPEndPoint(IPAddress.IPv6Loopback, listener.LocalEndPoint.Port), TestQuery.Build("www.example.com", DnsType.A, ednsPayload: 1232));

            Assert.NotNull(reply);
            Assert.Single(ReplyText.Parse(reply!).AnswerRecords);
        }
    }
}
