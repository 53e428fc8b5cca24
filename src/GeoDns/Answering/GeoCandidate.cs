using System.Net;
using GeoDns.Geo;
using GeoDns.Pools;

namespace GeoDns.Answering;

/// <summary>
/// An answerable edge address of one family, with its position as a unit vector on the sphere
/// (so ranking by distance needs one dot product and one acos, no other trigonometry per query).
/// </summary>
public sealed class GeoCandidate
{
    public GeoCandidate(Edge edge, IPAddress address, bool suspect)
    {
        Edge = edge;
        Address = address;
        Suspect = suspect;
        var position = edge.Latitude is { } lat && edge.Longitude is { } lon ? (lat, lon)
            : edge.Country is { } country && CountryCentroids.Find(country) is { } centroid ? (centroid.Latitude, centroid.Longitude)
            : ((double, double)?)null;
        if (position is not { } p) return;
        (X, Y, Z) = UnitVector(p.Item1, p.Item2);
        HasPosition = true;
    }

    public Edge Edge { get; }
    public IPAddress Address { get; }
    /// <summary>Suspect edges are still answered, after every Up one.</summary>
    public bool Suspect { get; }
    public bool HasPosition { get; }
    public double X { get; }
    public double Y { get; }
    public double Z { get; }

    /// <summary>Great-circle kilometres to a point given as a unit vector; infinite when the edge has no position.</summary>
    public double Kilometers(double x, double y, double z) =>
        HasPosition ? GeoDistance.EarthRadiusKm * Math.Acos(Math.Clamp(X * x + Y * y + Z * z, -1, 1)) : double.PositiveInfinity;

    public static (double X, double Y, double Z) UnitVector(double latitude, double longitude)
    {
        var (lat, lon) = (latitude * Math.PI / 180, longitude * Math.PI / 180);
        return (Math.Cos(lat) * Math.Cos(lon), Math.Cos(lat) * Math.Sin(lon), Math.Sin(lat));
    }
}
