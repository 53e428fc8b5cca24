using System.Net;
using GeoDns.Testing;

namespace GeoDns.Tests.Geo;

public sealed class SpecialAddressTests
{
    [Theory]
    [InlineData("10.1.2.3", 8)]
    [InlineData("127.0.0.1", 8)]
    [InlineData("192.168.1.1", 16)]
    [InlineData("172.20.0.1", 12)]
    [InlineData("100.64.0.1", 10)]
    [InlineData("169.254.1.1", 16)]
    [InlineData("::1", 128)]
    [InlineData("fd00::1", 7)]
    [InlineData("fe80::1", 10)]
    public void PrivateOrLoopbackClient_Unknown_EvenWhenTheDatabasePlacesIt(string address, int prefix)
    {
        // A database that (wrongly) places every address in Australia, as a free one was seen to do.
        var full = address.Contains(':') ? 128 : 32;
        using var mmdb = new TempMmdb(new MmdbWriter("GeoDns-Test-Country")
            .Insert($"{address}/{full}", MmdbRecords.CountryCode("AU"))
            .Insert(address.Contains(':') ? "2400::/12" : "1.0.0.0/8", MmdbRecords.CountryCode("AU")));
        using var database = mmdb.Open();

        var location = database.Lookup(IPAddress.Parse(address));

        Assert.False(location.IsKnown);
        Assert.Equal(prefix, location.PrefixLength);
        Assert.Equal("AU", database.Lookup(IPAddress.Parse(address.Contains(':') ? "2400::1" : "1.1.1.1")).Country);
    }
}
