using GeoDns.Protocol;

namespace GeoDns.Tests.Protocol;

public class DnsTypeTests
{
    [Theory]
    [InlineData("mx", DnsType.MX)]
    [InlineData("TYPE65280", 65280)]
    [InlineData("type1", DnsType.A)]
    public void TryParse_MnemonicOrRfc3597Form_IsKnown(string text, int type)
    {
        Assert.True(DnsType.TryParse(text, out var parsed));
        Assert.Equal(type, parsed);
    }

    [Theory]
    [InlineData("TYPE")]
    [InlineData("TYPE+1")]
    [InlineData("TYPE65536")]
    [InlineData("BOGUS")]
    public void TryParse_Malformed_IsFalse(string text) => Assert.False(DnsType.TryParse(text, out _));
}
