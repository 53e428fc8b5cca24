using System.Net;
using System.Net.Sockets;
using GeoDns.Protocol;
using GeoDns.Testing;
using GeoDns.Tsig;

namespace GeoDns.IntegrationTests;

/// <summary>
/// The real host on a wildcard address: every UDP reply leaves from the address its query was sent to, whether the
/// receive thread answered it or an exchange worker did later. On 127.0.0.2 the kernel's own choice would be
/// 127.0.0.1 (the loopback route's source), which a client that asked 127.0.0.2 would not take for the reply.
/// </summary>
public sealed class ReplySourceTests
{
    /// <summary>An unsigned NOTIFY for example.com (RFC 1996 §3.7), which we are not secondary for: NOTAUTH, from a worker.</summary>
    private static byte[] Notify() => [0x4e, 0x01, 0x20, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, .. DnsName.Parse("example.com").Wire, 0, 6, 0, 1];

    /// <summary>An unsigned UPDATE of example.com (RFC 2136 §2): REFUSED, from a worker.</summary>
    private static byte[] Update() => [0x4e, 0x02, 0x28, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, .. DnsName.Parse("example.com").Wire, 0, 6, 0, 1];

    private static byte[] SignedQuery(string keyFile) =>
        TsigSigner.SignRequest(TestQuery.Build("www.example.com", DnsType.A, id: 0x4e03), Assert.Single(TsigKeyFile.Load(keyFile, [])), DateTimeOffset.UtcNow).Message;

    /// <summary>Sends <paramref name="query"/> from <paramref name="address"/> to <paramref name="address"/>:<paramref name="port"/>; the reply and where it came from.</summary>
    private static (byte[] Reply, IPEndPoint From) Ask(IPAddress address, int port, byte[] query)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 3000 };
        socket.Bind(new IPEndPoint(address, 0));
        socket.SendTo(query, new IPEndPoint(address, port));
        var buffer = new byte[4096];
        EndPoint from = new IPEndPoint(address.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        var length = socket.ReceiveFrom(buffer, ref from); // unconnected: a reply from any source is read, and its source told
        return (buffer[..length], (IPEndPoint)from);
    }

    private static bool Ipv6Loopback()
    {
        if (!Socket.OSSupportsIPv6) return false;
        try
        {
            using var probe = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
            probe.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [SkippableTheory]
    [InlineData("0.0.0.0:0", "127.0.0.2", 32)]
    [InlineData("0.0.0.0:0", "127.0.0.2", 1)] // before, batching off meant recvfrom/sendto and replies from 127.0.0.1
    [InlineData("[::]:0", "::1", 32)]
    public async Task WildcardAddress_QueryAndExchangeReplies_LeaveFromTheAddressAsked(string listen, string asked, int udpBatch)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "replies from the address asked need IP_PKTINFO (Linux)");
        var address = IPAddress.Parse(asked);
        Skip.If(address.AddressFamily == AddressFamily.InterNetworkV6 && !Ipv6Loopback(), "no IPv6 on loopback");
        await using var x = await ExchangeServer.StartAsync(extraConfig: $$""", "transport": { "udpBatch": {{udpBatch}} }""", listen: listen);
        var port = x.Server.Endpoint.Port;
        var expected = new IPEndPoint(address, port);

        var plain = Ask(address, port, TestQuery.Build("www.example.com", DnsType.A, id: 0x4e00));
        var notify = Ask(address, port, Notify());
        var update = Ask(address, port, Update());
        var signed = Ask(address, port, SignedQuery(x.XfrKey));

        Assert.Equal((expected, (ushort)0x4e00, Rcode.NoError), (plain.From, TestQuery.Id(plain.Reply), (byte)(plain.Reply[3] & 0xF)));
        Assert.Equal((expected, (ushort)0x4e01, Rcode.NotAuth), (notify.From, TestQuery.Id(notify.Reply), (byte)(notify.Reply[3] & 0xF)));
        Assert.Equal((expected, (ushort)0x4e02, Rcode.Refused), (update.From, TestQuery.Id(update.Reply), (byte)(update.Reply[3] & 0xF)));
        Assert.Equal((expected, (ushort)0x4e03, Rcode.NoError), (signed.From, TestQuery.Id(signed.Reply), (byte)(signed.Reply[3] & 0xF)));
        Assert.Equal(["www.example.com. 300 IN A 127.0.0.10"], ReplyText.Parse(signed.Reply).Answer());
    }
}
