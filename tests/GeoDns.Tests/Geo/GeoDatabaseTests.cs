using GeoDns.Testing;
using System.Net;
using GeoDns.Geo;

namespace GeoDns.Tests.Geo;

public sealed class GeoDatabaseTests
{
    private static MmdbWriter City() => new MmdbWriter("GeoIP2-City")
        .Insert("81.2.69.0/24", MmdbRecords.City("London", 51.5, -0.13, "GB", "EU"))
        .Insert("175.16.199.0/24", MmdbRecords.City("Changchun", 43.88, 125.32, "CN", "AS"))
        .Insert("2001:db8::/32", MmdbRecords.City("Sydney", -33.87, 151.21, "AU", "OC"))
        .Insert("198.51.100.0/22", MmdbRecords.Registered("JP"));

    [Fact]
    public void City_GivesTheCityAndThePrefixLength()
    {
        using var file = new TempMmdb(City());
        using var database = file.Open();

        Assert.Equal(new GeoLocation(51.5, -0.13, "GB", "EU", 24), database.Lookup(IPAddress.Parse("81.2.69.160")));
        Assert.Equal(new GeoLocation(43.88, 125.32, "CN", "AS", 24), database.Lookup(IPAddress.Parse("175.16.199.7")));
        Assert.True(database.Lookup(IPAddress.Parse("81.2.69.1")).IsKnown);
    }

    [Fact]
    public void Ipv6_IsLookedUpInTheIpv6Tree()
    {
        using var file = new TempMmdb(City());
        using var database = file.Open();

        Assert.Equal(new GeoLocation(-33.87, 151.21, "AU", "OC", 32), database.Lookup(IPAddress.Parse("2001:db8:ab::1")));
    }

    [Fact]
    public void Ipv4MappedIpv6_IsLookedUpAsIpv4()
    {
        using var file = new TempMmdb(City());
        using var database = file.Open();

        var mapped = database.Lookup(IPAddress.Parse("::ffff:81.2.69.1"));

        Assert.Equal(database.Lookup(IPAddress.Parse("81.2.69.1")), mapped);
        Assert.Equal(24, mapped.PrefixLength);
    }

    [Theory]
    [InlineData("81.2.69.1")]
    [InlineData("::ffff:81.2.69.1")]
    [InlineData("2001:db8::1")]
    [InlineData("192.0.2.1")]
    public void Bytes_GiveTheSameAsTheAddress(string text)
    {
        using var file = new TempMmdb(City());
        using var database = file.Open();
        var address = IPAddress.Parse(text);

        Assert.Equal(database.Lookup(address), database.Lookup(address.GetAddressBytes()));
    }

    [Fact]
    public void Bytes_OfAnotherLength_AreRefused()
    {
        using var file = new TempMmdb(City());
        using var database = file.Open();

        Assert.Throws<ArgumentException>(() => database.Lookup(new byte[5]));
    }

    [Fact]
    public void Country_FillsCoordinatesFromTheCentroid()
    {
        using var file = new TempMmdb(new MmdbWriter("GeoLite2-Country").Insert("2.16.0.0/13", MmdbRecords.Country("FR", "EU")));
        using var database = file.Open();

        var centroid = CountryCentroids.Find("FR")!.Value;
        Assert.Equal(new GeoLocation(centroid.Latitude, centroid.Longitude, "FR", "EU", 13), database.Lookup(IPAddress.Parse("2.17.1.1")));
    }

    [Fact]
    public void RegisteredCountry_StandsInWhenTheRecordHasNoCountry()
    {
        using var file = new TempMmdb(City());
        using var database = file.Open();

        var location = database.Lookup(IPAddress.Parse("198.51.101.1"));

        Assert.Equal(("JP", "AS", 22), (location.Country, location.Continent, location.PrefixLength));
        Assert.Equal(CountryCentroids.Find("JP")!.Value.Latitude, location.Latitude);
    }

    [Fact]
    public void CountryCode_FillsCoordinatesAndContinent()
    {
        var writer = new MmdbWriter("geo-whois-asn-country")
            .Insert("193.0.0.0/21", MmdbRecords.CountryCode("NL"))
            .Insert("2c0f:f000::/24", MmdbRecords.CountryCode("za")); // lower case must not leak through
        using var file = new TempMmdb(writer);
        using var database = file.Open();

        var netherlands = CountryCentroids.Find("NL")!.Value;
        var southAfrica = CountryCentroids.Find("ZA")!.Value;
        Assert.Equal(new GeoLocation(netherlands.Latitude, netherlands.Longitude, "NL", "EU", 21), database.Lookup(IPAddress.Parse("193.0.6.139")));
        Assert.Equal(new GeoLocation(southAfrica.Latitude, southAfrica.Longitude, "ZA", "AF", 24), database.Lookup(IPAddress.Parse("2c0f:f0ff::1")));
    }

    [Fact]
    public void AddressNotInTheDatabase_IsUnknownWithThePrefixOfTheEmptyNetwork()
    {
        using var file = new TempMmdb(City());
        using var database = file.Open();

        var location = database.Lookup(IPAddress.Parse("81.2.70.1"));
        var ipv6 = database.Lookup(IPAddress.Parse("2001:db9::1"));

        Assert.False(location.IsKnown);
        Assert.Equal(GeoLocation.Unknown(location.PrefixLength), location);
        Assert.InRange(location.PrefixLength, 1, 24); // the tree ends above 81.2.70.0/24
        Assert.False(ipv6.IsKnown);
        Assert.InRange(ipv6.PrefixLength, 1, 32);
    }

    [Fact]
    public void Metadata_IsExposed()
    {
        var buildTime = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        using var file = new TempMmdb(new MmdbWriter("GeoLite2-City") { BuildTime = buildTime }.Insert("10.0.0.0/8", MmdbRecords.CountryCode("US")));
        using var database = file.Open();

        Assert.Equal((file.Path, buildTime, "GeoLite2-City"), (database.Path, database.BuildTime, database.DatabaseType));
    }

    [Fact]
    public void LookupAfterDispose_IsUnknownRatherThanAnException()
    {
        using var file = new TempMmdb(City());
        var database = file.Open();
        database.Dispose();

        Assert.False(database.Lookup(IPAddress.Parse("81.2.69.1")).IsKnown);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 })]
    public void CorruptFile_IsRefusedWithAClearMessage(byte[] contents)
    {
        using var file = new TempMmdb(contents);

        Assert.Null(GeoDatabase.TryOpen(file.Path, out var error));
        Assert.StartsWith($"geo database '{file.Path}' is not a MaxMind DB file: ", error);
    }

    [Fact]
    public void TruncatedFile_IsRefusedWithAClearMessage()
    {
        var whole = City().Build();
        using var file = new TempMmdb(whole[..^20]); // the metadata is cut short

        Assert.Null(GeoDatabase.TryOpen(file.Path, out var error));
        Assert.StartsWith($"geo database '{file.Path}' is not a MaxMind DB file: ", error);
    }

    [Fact]
    public void MissingFile_IsRefusedWithAClearMessage()
    {
        var path = Path.Combine(Path.GetTempPath(), $"geodns-missing-{Guid.NewGuid():N}.mmdb");

        Assert.Null(GeoDatabase.TryOpen(path, out var error));
        Assert.Equal($"geo database '{path}' does not exist", error);
    }
}
