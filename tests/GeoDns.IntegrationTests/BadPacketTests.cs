using ARSoft.Tools.Net.Dns;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

public sealed class BadPacketTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static byte[] Header(ushort qd = 1, ushort an = 0, ushort ns = 0, ushort ar = 0, byte flags = 0) =>
        [0xAB, 0xCD, flags, 0, (byte)(qd >> 8), (byte)qd, (byte)(an >> 8), (byte)an, (byte)(ns >> 8), (byte)ns, (byte)(ar >> 8), (byte)ar];

    public static TheoryData<string, byte[]> FormErrors => new()
    {
        { "header only", Header() },
        { "no question", Header(qd: 0) },
        { "two questions", [.. Header(qd: 2), .. TestQuery.Name("www.example.com"), 0, 1, 0, 1, .. TestQuery.Name("www.example.com"), 0, 1, 0, 1] },
        { "compression loop in question", [.. Header(), 0xC0, 12, 0, 1, 0, 1] },
        { "label longer than 63", [.. Header(), 64, .. new byte[64], 0, 0, 1, 0, 1] },
        { "name longer than 255", [.. Header(), .. Enumerable.Repeat<byte[]>([50, .. new byte[50]], 6).SelectMany(b => b), 0, 0, 1, 0, 1] },
        { "truncated question", [.. Header(), 3, (byte)'w', (byte)'w'] },
        { "missing type and class", [.. Header(), .. TestQuery.Name("www.example.com")] },
        { "counts of 0xFFFF", [.. Header(an: 0xFFFF, ns: 0xFFFF, ar: 0xFFFF), .. TestQuery.Name("www.example.com"), 0, 1, 0, 1] },
        { "OPT longer than the packet", [.. Header(ar: 1), .. TestQuery.Name("www.example.com"), 0, 1, 0, 1, 0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 50] },
        { "OPT option longer than its RDATA", [.. Header(ar: 1), .. TestQuery.Name("www.example.com"), 0, 1, 0, 1, 0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 4, 0, 8, 0, 9] },
        { "two OPT records", [.. Header(ar: 2), .. TestQuery.Name("www.example.com"), 0, 1, 0, 1, 0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 0, 0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 0] },
        { "OPT in the answer section", [.. Header(an: 1), .. TestQuery.Name("www.example.com"), 0, 1, 0, 1, 0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 0] },
        { "OPT with a non-root owner", [.. Header(ar: 1), .. TestQuery.Name("www.example.com"), 0, 1, 0, 1, 1, (byte)'x', 0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 0] },
        { "query for type OPT", TestQuery.Build("www.example.com", 41) },
    };

    [Theory]
    [MemberData(nameof(FormErrors))]
    public void MalformedQuery_FormErr_AndServerStillAnswers(string _, byte[] packet)
    {
        var reply = _server.Udp(packet)!;

        Assert.Equal(TestQuery.Id(packet), TestQuery.Id(reply));
        Assert.Equal(0x80, reply[2] & 0x80);
        Assert.Equal(ReturnCode.FormatError, (ReturnCode)(reply[3] & 0xF));
        Assert.Equal(["www.example.com. 300 IN A 127.0.0.10"], _server.Ask("www.example.com", 1).Answer());
    }

    public static TheoryData<string, byte[]> Silences => new()
    {
        { "empty datagram", [] },
        { "shorter than a header", [1, 2, 3, 4, 5] },
        { "a response (QR=1)", [.. Header(flags: 0x80), .. TestQuery.Name("www.example.com"), 0, 1, 0, 1] },
    };

    [Theory]
    [MemberData(nameof(Silences))]
    public void UnreadableOrResponsePacket_NoReply(string _, byte[] packet)
    {
        Assert.Null(_server.Udp(packet, timeoutMs: 300));
        Assert.Equal(["www.example.com. 300 IN A 127.0.0.10"], _server.Ask("www.example.com", 1).Answer());
    }

    [Fact]
    public void UnknownOpcode_NotImp()
    {
        var reply = _server.Udp([.. Header(flags: 2 << 3), .. TestQuery.Name("www.example.com"), 0, 1, 0, 1])!;

        Assert.Equal(ReturnCode.NotImplemented, (ReturnCode)(reply[3] & 0xF));
        Assert.Equal(2, (reply[2] >> 3) & 0xF);
    }

    [Fact]
    public void RandomGarbage_NeverStallsTheServer()
    {
        var random = new Random(42);
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        var valid = TestQuery.Build("www.example.com", 1);
        for (var i = 0; i < 2000; i++)
        {
            // Half pure noise, half a valid query with a few bytes flipped.
            var packet = i % 2 == 0 ? new byte[random.Next(0, 600)] : [.. valid];
            if (i % 2 == 0) random.NextBytes(packet);
            else for (var flips = 0; flips < 3; flips++) packet[random.Next(packet.Length)] = (byte)random.Next(256);
            socket.SendTo(packet, _server.Endpoint);
        }

        // The flood may fill the socket's receive buffer, and UDP may drop a query then; a stalled
        // server would never answer again, so ask until it does, for at most 5 s.
        byte[]? reply = null;
        for (var attempt = 0; attempt < 5 && reply is null; attempt++) reply = _server.Udp(TestQuery.Build("www.example.com", 1, ednsPayload: 1232), timeoutMs: 1000);
        Assert.NotNull(reply);
        Assert.Equal(["www.example.com. 300 IN A 127.0.0.10"], ReplyText.Parse(reply).Answer());
    }
}
