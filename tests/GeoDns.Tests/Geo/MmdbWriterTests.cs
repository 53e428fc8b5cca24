using GeoDns.Testing;
using System.Net;
using MaxMind.Db;

namespace GeoDns.Tests.Geo;

/// <summary>The writer is right if MaxMind's own reader reads back what it wrote.</summary>
public sealed class MmdbWriterTests
{
    [Theory]
    [InlineData(24)]
    [InlineData(28)]
    [InlineData(32)]
    public void Reader_FindsEachNetworkWithItsPrefixLength(int recordSize)
    {
        var writer = new MmdbWriter("Test-City", recordSize)
            .Insert("81.2.69.0/24", MmdbRecords.City("London", 51.5, -0.13, "GB", "EU"))
            .Insert("81.2.69.128/25", MmdbRecords.CountryCode("IE"))
            .Insert("2001:db8::/32", MmdbRecords.CountryCode("DE"));
        using var file = new TempMmdb(writer);
        using var reader = new Reader(file.Path);

        var london = reader.Find<Dictionary<string, object>>(IPAddress.Parse("81.2.69.1"), out var londonPrefix)!;
        var location = (Dictionary<string, object>)london["location"];
        Assert.Equal(51.5, location["latitude"]);
        Assert.Equal("GB", ((Dictionary<string, object>)london["country"])["iso_code"]);
        Assert.Equal(25, londonPrefix); // the /25 split the /24
        Assert.Equal("IE", reader.Find<Dictionary<string, object>>(IPAddress.Parse("81.2.69.200"), out var irelandPrefix)!["country_code"]);
        Assert.Equal(25, irelandPrefix);
        Assert.Equal("DE", reader.Find<Dictionary<string, object>>(IPAddress.Parse("2001:db8:1::1"), out var germanyPrefix)!["country_code"]);
        Assert.Equal(32, germanyPrefix);
        Assert.Null(reader.Find<Dictionary<string, object>>(IPAddress.Parse("81.2.70.1")));
    }

    [Fact]
    public void Reader_ReadsTheMetadata()
    {
        var writer = new MmdbWriter("Test-Country", 24) { BuildTime = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero) }
            .Insert("10.0.0.0/8", MmdbRecords.CountryCode("US"));
        using var file = new TempMmdb(writer);
        using var reader = new Reader(file.Path);

        Assert.Equal("Test-Country", reader.Metadata.DatabaseType);
        Assert.Equal(6, reader.Metadata.IPVersion);
        Assert.Equal(2, reader.Metadata.BinaryFormatMajorVersion);
        Assert.Equal(new DateTime(2025, 3, 4, 5, 6, 7), reader.Metadata.BuildDate);
        Assert.Equal(["en"], reader.Metadata.Languages);
        Assert.Equal("Test-Country test database", reader.Metadata.Description["en"]);
    }

    [Fact]
    public void Reader_ReadsLongStringsAndManyEntries()
    {
        // Past 28 and 284 bytes the size takes one and then two more bytes.
        var writer = new MmdbWriter("Test");
        var texts = new[] { new string('a', 40), new string('b', 300), new string('c', 70000) };
        for (var i = 0; i < texts.Length; i++) writer.Insert($"192.0.2.{i * 64}/26", new Dictionary<string, object> { ["text"] = texts[i] });
        using var file = new TempMmdb(writer);
        using var reader = new Reader(file.Path);

        for (var i = 0; i < texts.Length; i++)
            Assert.Equal(texts[i], reader.Find<Dictionary<string, object>>(IPAddress.Parse($"192.0.2.{i * 64 + 1}"))!["text"]);
    }
}
