namespace GeoDns.Pools;

/// <summary>One edge of a pool as configured: a VPS that carries the pool's traffic.</summary>
public sealed class EdgeOptions
{
    public string Name { get; set; } = "";
    public string? Ipv4 { get; set; }
    public string? Ipv6 { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    /// <summary>ISO 3166 alpha-2 country code, e.g. "DE".</summary>
    public string? Country { get; set; }
    /// <summary>Relative preference; higher means chosen more often among equals.</summary>
    public double Weight { get; set; } = 1;
}
