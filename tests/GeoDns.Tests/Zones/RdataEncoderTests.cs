using GeoDns.Protocol;
using static GeoDns.Tests.Zones.ZoneText;

namespace GeoDns.Tests.Zones;

public class RdataEncoderTests
{
    [Theory]
    [InlineData("192.0.2.1", "C0000201")]
    [InlineData("0.0.0.0", "00000000")]
    public void A_DottedQuad_IsFourOctets(string text, string hex) => Assert.Equal(hex, Rdata(DnsType.A, text));

    [Theory]
    [InlineData("192.0.2")]
    [InlineData("10.1")]
    [InlineData("256.0.0.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("2001:db8::1")]
    public void A_NotDottedQuad_IsError(string text) => Assert.Equal($"A address '{text}' is not an IPv4 address", RdataError(DnsType.A, text));

    [Theory]
    [InlineData("2001:db8::1", "20010DB8000000000000000000000001")]
    [InlineData("::ffff:192.0.2.1", "00000000000000000000FFFFC0000201")]
    public void Aaaa_Address_IsSixteenOctets(string text, string hex) => Assert.Equal(hex, Rdata(DnsType.AAAA, text));

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("fe80::1%eth0")]
    [InlineData("[::1]")]
    public void Aaaa_NotIpv6_IsError(string text) => Assert.Equal($"AAAA address '{text}' is not an IPv6 address", RdataError(DnsType.AAAA, text));

    [Theory]
    [InlineData(DnsType.NS)]
    [InlineData(DnsType.CNAME)]
    [InlineData(DnsType.DNAME)]
    [InlineData(DnsType.PTR)]
    public void NameTypes_RelativeName_GetsOriginAndKeepsCase(ushort type) =>
        Assert.Equal(WireHex("Mail", "example", "com"), Rdata(type, "Mail"));

    [Fact]
    public void Name_AbsoluteWithEscapes_KeepsCaseAndEscapedDot() =>
        Assert.Equal(WireHex("A.b", "Example", "ORG"), Rdata(DnsType.CNAME, @"A\.b.Example.ORG."));

    [Fact]
    public void Name_Root_IsSingleZero() => Assert.Equal("00", Rdata(DnsType.NS, "."));

    [Theory]
    [InlineData("a..b.", "CNAME target 'a..b.' has an empty label")]
    [InlineData("bücher.de.", "CNAME target 'bücher.de.' has a non-ASCII character; write it in punycode (xn--...)")]
    [InlineData("", "missing CNAME target")]
    public void Name_Malformed_IsError(string text, string message) => Assert.Equal(message, RdataError(DnsType.CNAME, text));

    [Fact]
    public void Name_LabelOf64Octets_IsError() =>
        Assert.EndsWith("has a label longer than 63 octets", RdataError(DnsType.NS, new string('a', 64) + "."));

    [Fact]
    public void Soa_TimersWithUnits_AreSeconds()
    {
        var hex = Rdata(DnsType.SOA, "ns1 hostmaster.example.com. 2024010101 1h 15m 2w 5m");
        Assert.Equal(WireHex("ns1", "example", "com") + WireHex("hostmaster", "example", "com") + "78A3F175" + "00000E10" + "00000384" + "00127500" + "0000012C", hex);
    }

    [Theory]
    [InlineData("ns1 host 4294967296 1 2 3 4", "SOA serial 4294967296 is above 4294967295")]
    [InlineData("ns1 host 1 2 3 4", "missing SOA minimum")]
    [InlineData("ns1 host 1 2 3 4 5 6", "unexpected '6' after the SOA data")]
    public void Soa_Malformed_IsError(string text, string message) => Assert.Equal(message, RdataError(DnsType.SOA, text));

    [Fact]
    public void Mx_PreferenceAndName() => Assert.Equal("000A" + WireHex("mail", "example", "com"), Rdata(DnsType.MX, "10 mail"));

    [Theory]
    [InlineData("ten mail", "MX preference 'ten' is not a number")]
    [InlineData("65536 mail", "MX preference 65536 is above 65535")]
    [InlineData("-1 mail", "MX preference '-1' is not a number")]
    [InlineData("\"10\" mail", "MX preference \"10\" must not be quoted")]
    public void Mx_BadPreference_IsError(string text, string message) => Assert.Equal(message, RdataError(DnsType.MX, text));

    [Theory]
    [InlineData("hello", "0568656C6C6F")]
    [InlineData("\"hello world\"", "0B68656C6C6F20776F726C64")]
    [InlineData("\"a\\\"b\"", "03612262")]
    [InlineData("\"a\\\\b\"", "03615C62")]
    [InlineData("v=spf1\\059x", "08763D737066313B78")]
    [InlineData("\"\\000\\255\"", "0200FF")]
    [InlineData("\"\"", "00")]
    [InlineData("one \"two\" three", "036F6E650374776F057468726565")]
    [InlineData("\"é\"", "02C3A9")]
    public void Txt_Strings_AreLengthPrefixedWithEscapesDecoded(string text, string hex) => Assert.Equal(hex, Rdata(DnsType.TXT, text));

    [Fact]
    public void Txt_StringOf255Octets_IsAllowedAnd256IsError()
    {
        Assert.StartsWith("FF", Rdata(DnsType.TXT, new string('x', 255)));
        Assert.Equal("string of 256 octets is longer than 255; split it into several strings", RdataError(DnsType.TXT, new string('x', 256)));
    }

    [Theory]
    [InlineData("\"\\256\"", "escape \\256 in '\\256' is above 255")]
    [InlineData("\"\\12\"", "escape in '\\12' needs exactly three digits (\\DDD)")]
    [InlineData("", "missing TXT text")]
    public void Txt_Malformed_IsError(string text, string message) => Assert.Equal(message, RdataError(DnsType.TXT, text));

    [Fact]
    public void Srv_PriorityWeightPortTarget() =>
        Assert.Equal("0001" + "0002" + "01BB" + WireHex("sip", "example", "com"), Rdata(DnsType.SRV, "1 2 443 sip"));

    [Theory]
    [InlineData("0 issue \"letsencrypt.org\"", "00056973737565" + "6C657473656E63727970742E6F7267")]
    [InlineData("0 iodef \"mailto:a@example.com\"", "0005696F646566" + "6D61696C746F3A61406578616D706C652E636F6D")]
    [InlineData("0 issue letsencrypt.org", "00056973737565" + "6C657473656E63727970742E6F7267")]
    [InlineData("0 issue \";\"", "00056973737565" + "3B")]
    public void Caa_FlagsTagValue(string text, string hex) => Assert.Equal(hex, Rdata(DnsType.CAA, text));

    [Fact]
    public void Caa_EmptyQuotedValue_IsAllowed() => Assert.Equal("80" + "09697373756577696C64", Rdata(DnsType.CAA, "128 issuewild \"\""));

    [Theory]
    [InlineData("0 is-sue x", "CAA tag 'is-sue' must be 1 to 15 letters or digits (e.g. issue, issuewild, iodef)")]
    [InlineData("256 issue x", "CAA flags 256 is above 255")]
    [InlineData("0 issue ; comment", "missing CAA value")]
    [InlineData("0 issue a b", "unexpected 'b' after the CAA data")]
    public void Caa_Malformed_IsError(string text, string message) => Assert.Equal(message, RdataError(DnsType.CAA, text));

    [Fact]
    public void Tlsa_HexMaySpanWords() =>
        Assert.Equal("030101" + "D2ABDE240D7CD3EE", Rdata(DnsType.TLSA, "3 1 1 d2abde24 0d7cd3ee"));

    [Theory]
    [InlineData("3 1 1", "missing TLSA certificate data")]
    [InlineData("3 1 1 abc", "TLSA certificate data 'abc' has an odd number of hex digits")]
    [InlineData("3 1 1 zz", "TLSA certificate data 'zz' is not hexadecimal")]
    public void Tlsa_Malformed_IsError(string text, string message) => Assert.Equal(message, RdataError(DnsType.TLSA, text));

    [Fact]
    public void Sshfp_AlgorithmTypeFingerprint() =>
        Assert.Equal("0402" + "ABCDEF0123", Rdata(DnsType.SSHFP, "4 2 ABCDEF 0123"));

    [Theory]
    [InlineData(DnsType.A, "\\# 4 C0000201", "C0000201")]
    [InlineData(DnsType.TXT, "\\# 4 03 61 62 63", "03616263")]
    [InlineData(DnsType.CNAME, "\\# 3 ( 01 41 00 )", "014100")]
    [InlineData(65280, "\\# 0", "")]
    public void Generic_Rfc3597Form_IsTheOctetsGiven(int type, string text, string hex) => Assert.Equal(hex, Rdata((ushort)type, text));

    [Theory]
    [InlineData(DnsType.A, "\\# 5 C0000201", "\\# data has 4 octets but its length says 5")]
    [InlineData(DnsType.A, "\\# 3 C00002", "\\# data is not a valid A record: an address is 4 octets")]
    [InlineData(DnsType.CNAME, "\\# 2 0141", "\\# data is not a valid CNAME record: expected one uncompressed name")]
    [InlineData(DnsType.MX, "\\# 4 000AC00C", "\\# data is not a valid MX record: expected a preference and one uncompressed name")]
    [InlineData(DnsType.SOA, "\\# 2 0000", "\\# data is not a valid SOA record: expected two uncompressed names and five 32-bit numbers")]
    [InlineData(DnsType.TXT, "\\# 2 0561", "\\# data is not a valid TXT record: expected one or more length-prefixed strings")]
    [InlineData(65280, "\\# x", "\\# data length 'x' is not a number")]
    public void Generic_Malformed_IsError(int type, string text, string message) => Assert.Equal(message, RdataError((ushort)type, text));
}
