using MaxMind.Db;

namespace GeoDns.Geo;

/// <summary>
/// The fields we read from a database record, in any of the shapes we support: GeoIP2/GeoLite2
/// City and Country (nested maps) and country-only databases with a top-level <c>country_code</c>.
/// Fields the record lacks stay null; the reader skips every field not named here.
/// </summary>
internal sealed class GeoRecord
{
    [MapKey("location")] public LocationPart? Location { get; init; }
    [MapKey("country")] public CountryPart? Country { get; init; }
    /// <summary>Where the network is registered: the only country some GeoIP2 records (anycast, satellite) carry.</summary>
    [MapKey("registered_country")] public CountryPart? RegisteredCountry { get; init; }
    [MapKey("continent")] public ContinentPart? Continent { get; init; }
    [MapKey("country_code")] public string? CountryCode { get; init; }

    public GeoLocation ToLocation(int prefixLength)
    {
        var country = Normalize(Country?.IsoCode ?? RegisteredCountry?.IsoCode ?? CountryCode);
        var centroid = country is null ? null : CountryCentroids.Find(country);
        var continent = Normalize(Continent?.Code) ?? centroid?.Continent;
        var (latitude, longitude) = Location is { Latitude: { } lat, Longitude: { } lon }
            ? (lat, lon)
            : (centroid?.Latitude, centroid?.Longitude);
        return new GeoLocation(latitude, longitude, country, continent, prefixLength);
    }

    /// <summary>Two letters, upper case, or nothing: an empty or odd code must not pass for a country.</summary>
    private static string? Normalize(string? code) =>
        code is { Length: 2 } && char.IsAsciiLetter(code[0]) && char.IsAsciiLetter(code[1]) ? code.ToUpperInvariant() : null;

    internal sealed class LocationPart
    {
        [MapKey("latitude")] public double? Latitude { get; init; }
        [MapKey("longitude")] public double? Longitude { get; init; }
    }

    internal sealed class CountryPart
    {
        [MapKey("iso_code")] public string? IsoCode { get; init; }
    }

    internal sealed class ContinentPart
    {
        [MapKey("code")] public string? Code { get; init; }
    }
}
