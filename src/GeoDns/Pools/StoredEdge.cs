namespace GeoDns.Pools;

/// <summary>An edge added at run time (not from the config), kept across restarts. Pool and Name identify it.</summary>
public sealed record StoredEdge(
    string Pool,
    string Name,
    string? Ipv4,
    string? Ipv6,
    double? Latitude,
    double? Longitude,
    string? Country,
    double Weight,
    DateTimeOffset Added);
