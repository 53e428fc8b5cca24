namespace GeoDns.Contracts;

/// <summary>Body of <c>POST /v1/pools/{pool}/edges</c>: an edge added at run time, with the keys of an edge in the config file.</summary>
/// <param name="Country">ISO 3166 alpha-2 country code, e.g. "DE".</param>
/// <param name="Weight">Relative preference; higher means chosen more often among equals.</param>
public sealed record EdgeRequest(string Name, string? Ipv4 = null, string? Ipv6 = null, double? Latitude = null, double? Longitude = null, string? Country = null, double Weight = 1);
