namespace GeoDns.Geo;

/// <summary>
/// Where the geo database places an address. <see cref="PrefixLength"/> is the length of the
/// database network that matched (or that is known to hold no data): every address in that network
/// gets the same answer, so it is the ECS scope to give a reply that depends on this location.
/// </summary>
/// <param name="Country">ISO 3166-1 alpha-2, upper case.</param>
/// <param name="Continent">Two-letter code: AF AN AS EU NA OC SA.</param>
public readonly record struct GeoLocation(double? Latitude, double? Longitude, string? Country, string? Continent, int PrefixLength)
{
    /// <summary>False when the database says nothing usable about the address.</summary>
    public bool IsKnown => Latitude.HasValue || Country is not null || Continent is not null;

    public static GeoLocation Unknown(int prefixLength) => new(null, null, null, null, prefixLength);
}
