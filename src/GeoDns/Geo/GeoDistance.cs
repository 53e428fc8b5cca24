namespace GeoDns.Geo;

/// <summary>Great-circle distance on a spherical Earth; the ~0.5 % error of the sphere does not change which edge is nearest.</summary>
public static class GeoDistance
{
    /// <summary>Mean Earth radius (IUGG).</summary>
    public const double EarthRadiusKm = 6371.0088;

    /// <summary>Haversine distance in kilometres between two points given in degrees.</summary>
    public static double Kilometers(double latitude1, double longitude1, double latitude2, double longitude2)
    {
        var dLat = Radians(latitude2 - latitude1);
        var dLon = Radians(longitude2 - longitude1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
              + Math.Cos(Radians(latitude1)) * Math.Cos(Radians(latitude2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        // Clamped: rounding can push a just above 1 for antipodal points, and Asin would return NaN.
        return 2 * EarthRadiusKm * Math.Asin(Math.Sqrt(Math.Min(1, a)));
    }

    private static double Radians(double degrees) => degrees * (Math.PI / 180);
}
