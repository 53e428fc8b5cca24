using GeoDns.Protocol;

namespace GeoDns.Tests.Protocol;

public class DnsNameTests
{
    [Fact]
    public void Parse_UppercaseAscii_IsLowercased() =>
        Assert.Equal(DnsName.Parse("www.example.com."), DnsName.Parse("WWW.Example.COM"));

    /// <summary>RFC 4343 §3: only ASCII letters compare case-insensitively; octets above 0x7F are kept as they are.</summary>
    [Fact]
    public void Parse_EscapedOctetAbove127_IsKeptAsIs() =>
        Assert.Equal("C8", Convert.ToHexString(DnsName.Parse(@"\200.example.")!.Wire, 1, 1));

    [Fact]
    public void FromWire_UppercaseAfterOctetAbove127_IsStillLowercased() =>
        Assert.Equal(DnsName.Parse(@"\200abc.example."), DnsName.FromWire([4, 200, (byte)'A', (byte)'B', (byte)'C', 7, .. "EXAMPLE"u8, 0]));

    [Fact]
    public void IsAtOrBelow_SameSuffixInsideLabel_IsFalse() =>
        Assert.False(DnsName.Parse("notexample.com.").IsAtOrBelow(DnsName.Parse("example.com.")));
}
