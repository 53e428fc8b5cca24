using System.Buffers.Binary;
using ARSoft.Tools.Net.Dns;
using GeoDns.Protocol;
using GeoDns.Zones;

namespace GeoDns.Tests.Zones;

/// <summary>Our RDATA, decoded by an independent implementation (ARSoft.Tools.Net) from a DNS message.</summary>
public class ArsoftCrossCheckTests
{
    private static DnsRecordBase Decode(ResourceRecord record)
    {
        var rdataAt = 12 + record.Owner.Wire.Length + 10;
        var message = new byte[rdataAt + record.Data.Length];
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), 0x8400); // response, authoritative
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(6), 1);      // one answer
        record.Owner.Wire.CopyTo(message, 12);
        var fixedPart = message.AsSpan(12 + record.Owner.Wire.Length);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart, record.Type);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart[2..], ResourceRecord.ClassIN);
        BinaryPrimitives.WriteUInt32BigEndian(fixedPart[4..], record.Ttl);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart[8..], (ushort)record.Data.Length);
        record.Data.CopyTo(message, rdataAt);
        return Assert.Single(DnsMessage.Parse(new ArraySegment<byte>(message)).AnswerRecords);
    }

    [Theory]
    [InlineData("www A 192.0.2.1", "www.example.com. 60 IN A 192.0.2.1")]
    [InlineData("www AAAA 2001:db8::1", "www.example.com. 60 IN AAAA 2001:db8::1")]
    [InlineData("www CNAME Target.Example.net.", "www.example.com. 60 IN CNAME Target.Example.net.")]
    [InlineData("@ MX 10 mail", "example.com. 60 IN MX 10 mail.example.com.")]
    [InlineData("@ SOA ns1 hostmaster 2024010101 1h 15m 2w 5m", "example.com. 60 IN SOA ns1.example.com. hostmaster.example.com. 2024010101 3600 900 1209600 300")]
    [InlineData("_sip._tcp SRV 1 2 5060 sip", "_sip._tcp.example.com. 60 IN SRV 1 2 5060 sip.example.com.")]
    [InlineData("@ CAA 0 issue \"letsencrypt.org\"", "example.com. 60 IN CAA 0 issue letsencrypt.org")]
    [InlineData("_443._tcp TLSA 3 1 1 d2abde240d7cd3ee", "_443._tcp.example.com. 60 IN TLSA 3 1 1 D2ABDE240D7CD3EE")]
    [InlineData("d DNAME example.net.", "d.example.com. 60 IN DNAME example.net.")]
    [InlineData("@ HTTPS 1 . ipv4hint=192.0.2.1 port=8443 alpn=h2,h3", "example.com. 60 IN HTTPS 1 . alpn=\"h2,h3\" port=8443 ipv4hint=192.0.2.1")]
    [InlineData("_sc SVCB 0 svc.example.net.", "_sc.example.com. 60 IN SVCB 0 svc.example.net.")]
    [InlineData("x SSHFP 4 2 abcdef", "x.example.com. 60 IN SSHFP 4 2 ABCDEF")]
    [InlineData("p PTR host", "p.example.com. 60 IN PTR host.example.com.")]
    public void Encode_DecodedByArsoft_MatchesWhatWasWritten(string line, string expected) =>
        Assert.Equal(expected, Decode(Load(line)).ToString());

    [Fact]
    public void Txt_DecodedByArsoft_HasTheStringsWritten()
    {
        var txt = Assert.IsType<TxtRecord>(Decode(Load("t TXT \"a b\" c\\059 \"say \\\"hi\\\"\"")));
        Assert.Equal(["a b", "c;", "say \"hi\""], txt.TextParts);
    }

    private static ResourceRecord Load(string line)
    {
        var apex = line.Contains(" SOA ") ? "@ NS ns1" : ZoneText.Apex;
        var result = ZoneFileParser.Parse($"$TTL 60\n{line}\n{apex}", ZoneText.Origin, "z");
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        return result.Zone!.Records.First(r => r.Source == new RecordSource("z", 2));
    }
}
