namespace GeoDns.Testing;

/// <summary>Records in the shapes of real databases, trimmed to the fields that matter plus one we ignore.</summary>
public static class MmdbRecords
{
    /// <summary>GeoIP2/GeoLite2 City.</summary>
    public static Dictionary<string, object> City(string city, double latitude, double longitude, string country, string continent) => new()
    {
        ["city"] = new Dictionary<string, object> { ["geoname_id"] = 2643743u, ["names"] = new Dictionary<string, object> { ["en"] = city } },
        ["continent"] = new Dictionary<string, object> { ["code"] = continent, ["geoname_id"] = 6255148u },
        ["country"] = new Dictionary<string, object> { ["iso_code"] = country, ["is_in_european_union"] = false },
        ["location"] = new Dictionary<string, object> { ["accuracy_radius"] = (ushort)100, ["latitude"] = latitude, ["longitude"] = longitude, ["time_zone"] = "Etc/UTC" },
        ["subdivisions"] = new object[] { new Dictionary<string, object> { ["iso_code"] = "XX" } },
    };

    /// <summary>GeoIP2/GeoLite2 Country: no location.</summary>
    public static Dictionary<string, object> Country(string country, string continent) => new()
    {
        ["continent"] = new Dictionary<string, object> { ["code"] = continent },
        ["country"] = new Dictionary<string, object> { ["iso_code"] = country },
        ["registered_country"] = new Dictionary<string, object> { ["iso_code"] = country },
    };

    /// <summary>A GeoIP2 record with only the registration country, as for some anycast networks.</summary>
    public static Dictionary<string, object> Registered(string country) => new()
    {
        ["registered_country"] = new Dictionary<string, object> { ["iso_code"] = country },
    };

    /// <summary>ip-location-db's country databases.</summary>
    public static Dictionary<string, object> CountryCode(string country) => new() { ["country_code"] = country };
}
