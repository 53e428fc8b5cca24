using GeoDns.Testing;
using GeoDns.Geo;

namespace GeoDns.Tests.Geo;

public sealed class GeoDistanceTests
{
    [Fact]
    public void LondonToNewYork_IsAbout5570Km()
    {
        var km = GeoDistance.Kilometers(51.5074, -0.1278, 40.7128, -74.0060);

        Assert.InRange(km, 5570 * 0.99, 5570 * 1.01);
    }

    [Fact]
    public void Distance_IsSymmetricAndZeroForOnePoint()
    {
        Assert.Equal(0, GeoDistance.Kilometers(35.7, 139.7, 35.7, 139.7));
        Assert.Equal(GeoDistance.Kilometers(-33.9, 151.2, 1.35, 103.8), GeoDistance.Kilometers(1.35, 103.8, -33.9, 151.2), 6);
    }

    [Fact]
    public void AntipodalPoints_AreHalfACircumferenceApart()
    {
        var km = GeoDistance.Kilometers(10, 20, -10, -160);

        Assert.Equal(Math.PI * GeoDistance.EarthRadiusKm, km, 3);
    }

    [Fact]
    public void CrossingTheAntimeridian_TakesTheShortWay()
    {
        // Fiji to Samoa: about 1 150 km west to east across 180°, not 38 000 km the other way.
        Assert.InRange(GeoDistance.Kilometers(-18.1, 178.4, -13.8, -171.8), 1000, 1300);
    }
}
