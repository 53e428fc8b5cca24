using GeoDns.Testing;
using GeoDns.Geo;

namespace GeoDns.Tests.Geo;

public sealed class CountryCentroidsTests
{
    [Fact]
    public void Table_HasEveryCountryWithAPlausiblePoint()
    {
        Assert.True(CountryCentroids.Count >= 249, $"only {CountryCentroids.Count} countries");
        foreach (var code in CountryCentroids.Codes)
        {
            var (latitude, longitude, continent) = CountryCentroids.Find(code)!.Value;
            Assert.Matches("^[A-Z]{2}$", code);
            Assert.InRange(latitude, -90, 90);
            Assert.InRange(longitude, -180, 180);
            Assert.Contains(continent, new[] { "AF", "AN", "AS", "EU", "NA", "OC", "SA" });
        }
    }

    [Theory]
    [InlineData("US", "NA")]
    [InlineData("GB", "EU")]
    [InlineData("RU", "EU")]
    [InlineData("CN", "AS")]
    [InlineData("BR", "SA")]
    [InlineData("ZA", "AF")]
    [InlineData("AU", "OC")]
    [InlineData("AQ", "AN")]
    [InlineData("NA", "AF")] // Namibia, not the continent code
    public void Country_HasItsContinent(string country, string continent) =>
        Assert.Equal(continent, CountryCentroids.Find(country)!.Value.Continent);

    [Theory]
    [InlineData("DE", 51.2, 10.5)]
    [InlineData("JP", 36.2, 138.3)]
    [InlineData("AR", -34.0, -61.0)]
    public void Country_IsNearItsCentre(string country, double latitude, double longitude)
    {
        var point = CountryCentroids.Find(country)!.Value;

        Assert.True(GeoDistance.Kilometers(point.Latitude, point.Longitude, latitude, longitude) < 200);
    }

    [Theory]
    [InlineData("ZZ")]
    [InlineData("gb")]
    public void UnknownCode_IsNull(string code) => Assert.Null(CountryCentroids.Find(code));
}
