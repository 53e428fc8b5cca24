using GeoDns.Testing;
using System.Net;
using GeoDns.Geo;

namespace GeoDns.Tests.Geo;

/// <summary>The free default database, when deploy/fetch-geodb.sh has put it in data/; skipped otherwise.</summary>
public sealed class DefaultGeoDatabaseTests
{
    [SkippableTheory]
    [InlineData("8.8.8.8", "US")]
    [InlineData("193.0.6.139", "NL")] // RIPE NCC, Amsterdam
    [InlineData("2001:67c:2e8:22::c100:68b", "NL")] // RIPE NCC over IPv6
    [InlineData("::ffff:8.8.4.4", "US")]
    public void WellKnownAddress_IsInItsCountry(string address, string country)
    {
        using var database = Open();

        var location = database.Lookup(IPAddress.Parse(address));

        Assert.Equal(country, location.Country);
        Assert.NotNull(location.Latitude);
        Assert.NotNull(location.Continent);
    }

    [SkippableFact]
    public void Cloudflare_IsInAustraliaOrTheUnitedStates()
    {
        using var database = Open();

        Assert.Contains(database.Lookup(IPAddress.Parse("1.1.1.1")).Country, new[] { "AU", "US" });
    }

    private static GeoDatabase Open()
    {
        var path = Path.Combine(RepositoryRoot(), "data", "geo-whois-asn-country.mmdb");
        Skip.IfNot(File.Exists(path), $"{path} is absent: run deploy/fetch-geodb.sh");
        var database = GeoDatabase.TryOpen(path, out var error);
        Assert.True(database is not null, error);
        return database;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GeoDns.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("GeoDns.sln not found above the test binaries");
    }
}
