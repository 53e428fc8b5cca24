using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using GeoDns.Protocol;
using GeoDns.Tsig;

namespace GeoDns.IntegrationTests;

/// <summary>Hostile or broken transfers and updates, as raw packets: each gets the right rcode and changes nothing.</summary>
public sealed class ExchangeBadInputTests
{
    private static TsigKey Key(string path) => Assert.Single(TsigKeyFile.Load(path, []));

    /// <summary>An UPDATE adding one TXT at _acme-challenge.example.com (RFC 2136 §2: zone, no prerequisites, one update).</summary>
    private static byte[] Update(string text) => Update(DnsType.TXT, [(byte)text.Length, .. System.Text.Encoding.ASCII.GetBytes(text)]);

    /// <summary>An UPDATE adding (class IN) or deleting (class NONE, RFC 2136 §2.5.4) one record at _acme-challenge.example.com.</summary>
    private static byte[] Update(ushort type, byte[] rdata, byte @class = 1)
    {
        var zone = DnsName.Parse("example.com").Wire;
        var owner = DnsName.Parse("_acme-challenge.example.com").Wire;
        byte ttl = @class == 1 ? (byte)60 : (byte)0;
        return [0x12, 0x34, 0x28, 0x00, 0, 1, 0, 0, 0, 1, 0, 0,
            .. zone, 0, 6, 0, 1,
            .. owner, (byte)(type >> 8), (byte)type, 0, @class, 0, 0, 0, ttl, 0, (byte)rdata.Length, .. rdata];
    }

    /// <summary>The TSIG error a reply carries (RFC 8945 §4.2), or null when it is unsigned.</summary>
    private static ushort? TsigError(byte[]? reply) =>
        reply is not null && MessageReader.Read(reply) is { Additionals: [.., { Type: TsigSigner.Type } tsig] } ? TsigRecord.Parse(tsig)?.Error : null;

    private static byte[] Question(string name, ushort type, byte[]? authority = null)
    {
        byte[] header = [0x43, 0x21, 0x00, 0x00, 0, 1, 0, 0, 0, (byte)(authority is null ? 0 : 1), 0, 0];
        return [.. header, .. DnsName.Parse(name).Wire, (byte)(type >> 8), (byte)type, 0, 1, .. authority ?? []];
    }

    private static byte Rcode(byte[]? reply) => reply is null ? (byte)255 : (byte)(reply[3] & 0xF);

    private static byte[]? Tcp(TestServer server, byte[] query, string? from = null)
    {
        using var client = new TcpClient(new IPEndPoint(IPAddress.Parse(from ?? "127.0.0.1"), 0));
        client.Connect(server.Endpoint);
        client.ReceiveTimeout = 5000;
        var stream = client.GetStream();
        TestServer.SendFramed(stream, query);
        return TestServer.ReadFramed(stream);
    }

    [Fact]
    public async Task Update_TruncatedGarbledOrForged_RefusedWithRightRcode_NothingChanged()
    {
        await using var x = await ExchangeServer.StartAsync();
        var key = Key(x.AcmeKey);
        var serial = x.ServedSerial;
        var signed = TsigSigner.SignRequest(Update("bad"), key, DateTimeOffset.UtcNow).Message;

        // Cut anywhere inside the records: FORMERR. Under a header: silence (no ID to answer to).
        foreach (var cut in new[] { 13, 30, Update("bad").Length - 2, signed.Length - 1 })
            Assert.Equal(1, Rcode(x.Server.Udp(signed[..cut])));
        Assert.Null(x.Server.Udp(signed[..8], timeoutMs: 300));
        // A flipped MAC bit: NOTAUTH (BADSIG); an unknown key name: NOTAUTH (BADKEY).
        var forged = signed.ToArray();
        forged[^10] ^= 0x01;
        Assert.Equal(GeoDns.Protocol.Rcode.NotAuth, Rcode(x.Server.Udp(forged)));
        var stranger = TsigSigner.SignRequest(Update("bad"), new TsigKey(DnsName.Parse("stranger"), TsigAlgorithm.HmacSha256, new byte[32]), DateTimeOffset.UtcNow).Message;
        Assert.Equal(GeoDns.Protocol.Rcode.NotAuth, Rcode(x.Server.Udp(stranger)));
        // Signed an hour ago: NOTAUTH (BADTIME).
        var stale = TsigSigner.SignRequest(Update("bad"), key, DateTimeOffset.UtcNow.AddHours(-1)).Message;
        Assert.Equal(GeoDns.Protocol.Rcode.NotAuth, Rcode(x.Server.Udp(stale)));
        // A pointer loop in the owner name: FORMERR.
        var loop = Update("bad");
        loop[Query.HeaderLength + 13 + 4] = 0xC0;
        loop[Query.HeaderLength + 13 + 5] = (byte)(Query.HeaderLength + 13 + 4);
        Assert.Equal(1, Rcode(x.Server.Udp(TsigSigner.SignRequest(loop, key, DateTimeOffset.UtcNow).Message)));

        Assert.Empty(x.Server.Ask("_acme-challenge.example.com", DnsType.TXT).AnswerRecords);
        Assert.Equal(serial, x.ServedSerial);
        // The same message, intact, is accepted: the rejections above were for the damage alone.
        Assert.Equal(0, Rcode(x.Server.Udp(TsigSigner.SignRequest(Update("good"), key, DateTimeOffset.UtcNow).Message)));
        Assert.Equal(["good"], x.Server.Ask("_acme-challenge.example.com", DnsType.TXT).AnswerRecords.OfType<TxtRecord>().Select(r => r.TextData));
    }

    [Fact]
    public async Task Transfer_NotAllowedOrMalformed_Refused()
    {
        await using var x = await ExchangeServer.StartAsync();
        var key = Key(x.XfrKey);
        var axfr = TsigSigner.SignRequest(Question("example.com", DnsType.AXFR), key, DateTimeOffset.UtcNow).Message;

        Assert.Equal(0, Rcode(Tcp(x.Server, axfr)));                        // allowed: address and key
        Assert.Equal(5, Rcode(Tcp(x.Server, axfr, from: "127.0.0.2")));     // right key, wrong address: REFUSED
        Assert.Equal(5, Rcode(Tcp(x.Server, Question("example.com", DnsType.AXFR)))); // unsigned: REFUSED
        Assert.Equal(5, Rcode(Tcp(x.Server, TsigSigner.SignRequest(Question("example.com", DnsType.AXFR), Key(x.AcmeKey), DateTimeOffset.UtcNow).Message))); // a key not listed for transfers: REFUSED
        Assert.Equal(9, Rcode(Tcp(x.Server, TsigSigner.SignRequest(Question("example.org", DnsType.AXFR), key, DateTimeOffset.UtcNow).Message))); // not ours: NOTAUTH
        Assert.Equal(5, Rcode(x.Server.Udp(axfr)));                        // AXFR over UDP: REFUSED (RFC 5936 §4.2)

        // IXFR without the client's SOA, or cut short: FORMERR.
        Assert.Equal(1, Rcode(Tcp(x.Server, TsigSigner.SignRequest(Question("example.com", DnsType.IXFR), key, DateTimeOffset.UtcNow).Message)));
        var ixfr = TsigSigner.SignRequest(Question("example.com", DnsType.IXFR, [0xC0, 12, 0, 6, 0, 1, 0, 0, 0, 0, 0, 22, 0, 0, 0, 0, 0, 1, .. new byte[16]]), key, DateTimeOffset.UtcNow).Message;
        Assert.Equal(0, Rcode(Tcp(x.Server, ixfr)));
        Assert.Equal(1, Rcode(Tcp(x.Server, ixfr[..(ixfr.Length - 30)])));
        // The server still answers ordinary queries.
        Assert.Equal(ReturnCode.NoError, x.Server.Ask("www.example.com", DnsType.A).ReturnCode);
    }

    [Fact]
    public async Task Update_MalformedRdata_FormErr_NothingServedNorTransferred()
    {
        await using var x = await ExchangeServer.StartAsync();
        var key = Key(x.AcmeKey);
        var serial = x.ServedSerial;

        // A character-string running past the RDATA; an address of three octets: neither parses as its type.
        Assert.Equal(1, Rcode(x.Server.Udp(TsigSigner.SignRequest(Update(DnsType.TXT, [5, (byte)'a', (byte)'b']), key, DateTimeOffset.UtcNow).Message)));
        Assert.Equal(1, Rcode(x.Server.Udp(TsigSigner.SignRequest(Update(DnsType.A, [127, 0, 0]), key, DateTimeOffset.UtcNow).Message)));

        Assert.Equal(serial, x.ServedSerial);
        Assert.Empty(x.Server.Service.Observations.DynamicRecords(DnsName.Parse("example.com"))!);
        Assert.Empty(x.Server.Ask("_acme-challenge.example.com", DnsType.TXT).AnswerRecords);
    }

    [Fact]
    public async Task Update_ReplayedWithinItsWindow_BadTime_TheUndoneChangeStaysUndone()
    {
        await using var x = await ExchangeServer.StartAsync();
        var key = Key(x.AcmeKey);
        var add = TsigSigner.SignRequest(Update("token"), key, DateTimeOffset.UtcNow).Message;
        var delete = TsigSigner.SignRequest(Update(DnsType.TXT, [5, .. "token"u8], @class: 254), key, DateTimeOffset.UtcNow).Message;

        Assert.Equal(0, Rcode(x.Server.Udp(add)));
        Assert.Equal(0, Rcode(x.Server.Udp(delete)));
        var replayed = x.Server.Udp(add);

        // As a message signed too long ago: NOTAUTH with BADTIME, and the deleted record is not back.
        Assert.Equal(GeoDns.Protocol.Rcode.NotAuth, Rcode(replayed));
        Assert.Equal(GeoDns.Protocol.Rcode.BadTime, TsigError(replayed));
        Assert.Empty(x.Server.Ask("_acme-challenge.example.com", DnsType.TXT).AnswerRecords);
    }

    [Fact]
    public async Task Update_FudgeAbove300_TimeCheckedAsIf300()
    {
        await using var x = await ExchangeServer.StartAsync();
        var key = Key(x.AcmeKey);

        // Signed 400 s ago with a fudge of an hour: stale by our 300 s, whatever the signer allowed itself.
        var stale = x.Server.Udp(TsigSigner.SignRequest(Update("stale"), key, DateTimeOffset.UtcNow.AddSeconds(-400), fudge: 3600).Message);
        var fresh = x.Server.Udp(TsigSigner.SignRequest(Update("fresh"), key, DateTimeOffset.UtcNow.AddSeconds(-100), fudge: 3600).Message);

        Assert.Equal(GeoDns.Protocol.Rcode.NotAuth, Rcode(stale));
        Assert.Equal(GeoDns.Protocol.Rcode.BadTime, TsigError(stale));
        Assert.Equal(0, Rcode(fresh));
        Assert.Equal(["fresh"], x.Server.Ask("_acme-challenge.example.com", DnsType.TXT).AnswerRecords.OfType<TxtRecord>().Select(r => r.TextData));
    }

    /// <summary>A primary's NOTIFY for <paramref name="zone"/> (RFC 1996 §3.7: opcode 4, AA, the zone's SOA as the question).</summary>
    private static byte[] Notify(string zone) =>
        [0x56, 0x78, 0x24, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, .. DnsName.Parse(zone).Wire, 0, 6, 0, 1];

    [Fact]
    public async Task Notify_ReplayedWithinItsWindow_BadTime_NoRefreshStarted()
    {
        // The "primary" only counts the connections a refresh makes, and closes each: every refresh fails, and the
        // secondary then waits 10 s (it holds no copy) unless a NOTIFY starts one sooner.
        using var primary = new TcpListener(IPAddress.Loopback, 0);
        primary.Start();
        var refreshes = 0;
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var connection = await primary.AcceptSocketAsync();
                    Interlocked.Increment(ref refreshes);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        });
        var port = ((IPEndPoint)primary.LocalEndpoint).Port;
        await using var x = await ExchangeServer.StartAsync(extraExchange: $$""", "secondaries": [{ "zone": "sec.test", "primaries": ["127.0.0.1:{{port}}"], "key": "xfr" }]""");
        var key = Key(x.XfrKey);
        await GeoDns.Testing.Eventually.True(() => Volatile.Read(ref refreshes) >= 1, "the first refresh");
        var before = Volatile.Read(ref refreshes);

        var notify = TsigSigner.SignRequest(Notify("sec.test"), key, DateTimeOffset.UtcNow).Message;
        var first = x.Server.Udp(notify);
        Assert.Equal(0, Rcode(first));
        await GeoDns.Testing.Eventually.True(() => Volatile.Read(ref refreshes) == before + 1, "the refresh the NOTIFY starts");
        var replayed = x.Server.Udp(notify);

        // As a message signed too long ago: NOTAUTH with BADTIME, and no refresh follows.
        Assert.Equal(GeoDns.Protocol.Rcode.NotAuth, Rcode(replayed));
        Assert.Equal(GeoDns.Protocol.Rcode.BadTime, TsigError(replayed));
        await Task.Delay(1000);
        Assert.Equal(before + 1, Volatile.Read(ref refreshes));
        // The same NOTIFY signed afresh is heard: the refusal was for the replay alone.
        Assert.Equal(0, Rcode(x.Server.Udp(TsigSigner.SignRequest(Notify("sec.test"), key, DateTimeOffset.UtcNow).Message)));
        await GeoDns.Testing.Eventually.True(() => Volatile.Read(ref refreshes) == before + 2, "the refresh the fresh NOTIFY starts");
    }
}
