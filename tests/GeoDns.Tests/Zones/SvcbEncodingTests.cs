using GeoDns.Protocol;
using static GeoDns.Tests.Zones.ZoneText;

namespace GeoDns.Tests.Zones;

/// <summary>SVCB and HTTPS presentation form, checked against the test vectors of RFC 9460 Appendix D.</summary>
public class SvcbEncodingTests
{
    private static readonly string FooExampleCom = WireHex("foo", "example", "com");

    [Fact]
    public void Svcb_AliasMode_D1() =>
        Assert.Equal("0000" + FooExampleCom, Rdata(DnsType.SVCB, "0 foo.example.com."));

    [Fact]
    public void Svcb_TargetIsRoot_D2() => Assert.Equal("0001" + "00", Rdata(DnsType.SVCB, "1 ."));

    [Fact]
    public void Svcb_Port_D2() =>
        Assert.Equal("0010" + FooExampleCom + "0003" + "0002" + "0035", Rdata(DnsType.SVCB, "16 foo.example.com. port=53"));

    [Fact]
    public void Svcb_GenericKey_D2() =>
        Assert.Equal("0001" + FooExampleCom + "029B" + "0005" + "68656C6C6F", Rdata(DnsType.SVCB, "1 foo.example.com. key667=hello"));

    [Fact]
    public void Svcb_GenericKeyQuotedWithEscape_D2() =>
        Assert.Equal("0001" + FooExampleCom + "029B" + "0009" + "68656C6C6FD2716F6F", Rdata(DnsType.SVCB, "1 foo.example.com. key667=\"hello\\210qoo\""));

    [Fact]
    public void Svcb_Ipv6Hints_D2() =>
        Assert.Equal("0001" + FooExampleCom + "0006" + "0020" + "20010DB8000000000000000000000001" + "20010DB8000000000000000000530001",
            Rdata(DnsType.SVCB, "1 foo.example.com. ipv6hint=\"2001:db8::1,2001:db8::53:1\""));

    [Fact]
    public void Svcb_ParamsAreSortedByKey_D2()
    {
        var expected = "0010" + WireHex("foo", "example", "org") + "0000" + "0004" + "00010004" + "0001" + "0009" + "026832" + "0568332D3139" + "0004" + "0004" + "C0000201";
        Assert.Equal(expected, Rdata(DnsType.SVCB, "16 foo.example.org. (alpn=h2,h3-19 mandatory=ipv4hint,alpn\n ipv4hint=192.0.2.1)"));
    }

    [Fact]
    public void Svcb_AlpnWithEscapedCommaAndBackslash_D2() =>
        Assert.Equal("0010" + WireHex("foo", "example", "org") + "0001" + "000C" + "08665C6F6F2C626172" + "026832",
            Rdata(DnsType.SVCB, "16 foo.example.org. alpn=\"f\\\\\\\\oo\\\\,bar,h2\""));

    [Fact]
    public void Https_NoDefaultAlpnEchAndHints()
    {
        var hex = Rdata(DnsType.HTTPS, "1 . alpn=h3 no-default-alpn ech=AQID ipv4hint=192.0.2.1,192.0.2.2");
        Assert.Equal("0001" + "00" + "0001" + "0003" + "026833" + "0002" + "0000" + "0004" + "0008" + "C0000201C0000202" + "0005" + "0003" + "010203", hex);
    }

    [Theory]
    [InlineData("1 . port=53 port=54", "SvcParam port appears twice")]
    [InlineData("1 . alpn=h2 key1=h3", "SvcParam key1 appears twice")]
    [InlineData("1 . flavour=sweet", "unknown SvcParam key 'flavour' (known: mandatory, alpn, no-default-alpn, port, ipv4hint, ech, ipv6hint, or keyNNNNN)")]
    [InlineData("1 . key65535=x", "unknown SvcParam key 'key65535' (known: mandatory, alpn, no-default-alpn, port, ipv4hint, ech, ipv6hint, or keyNNNNN)")]
    [InlineData("1 . port=https", "port 'https' is not a number from 0 to 65535")]
    [InlineData("1 . alpn", "SvcParam alpn needs a value (alpn=...)")]
    [InlineData("1 . no-default-alpn=x alpn=h2", "no-default-alpn takes no value")]
    [InlineData("1 . no-default-alpn", "no-default-alpn needs an alpn parameter too (RFC 9460 §7.1.1)")]
    [InlineData("1 . mandatory=mandatory", "mandatory must not list itself (RFC 9460 §8)")]
    [InlineData("1 . mandatory=port", "mandatory lists port, which the record does not have (RFC 9460 §8)")]
    [InlineData("1 . ipv4hint=2001:db8::1", "ipv4hint '2001:db8::1' is not an IPv4 address")]
    [InlineData("1 . ech=!!!", "ech value is not valid base64")]
    [InlineData("1 . alpn=h2,,h3", "alpn protocol ids must be 1 to 255 octets")]
    [InlineData("x .", "HTTPS priority 'x' is not a number")]
    public void Https_MalformedParams_AreErrors(string text, string message) => Assert.Equal(message, RdataError(DnsType.HTTPS, text));
}
