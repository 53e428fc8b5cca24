using GeoDns.Pools;
using GeoDns.Protocol;
using GeoDns.Zones;

namespace GeoDns.Tests.Pools;

/// <summary>The example zone and a pool of three loopback edges, as a config file would give them.</summary>
public static class PoolFixture
{
    public const string Zone = """
        $ORIGIN example.com.
        $TTL 300
        @    IN SOA ns1 hostmaster 1 3600 600 1209600 60
             IN NS  ns1
        ns1  IN A   127.0.0.1
        app  IN TXT "pooled"
        www  IN CNAME app
        """;

    public static ZoneSet Zones()
    {
        var result = ZoneFileParser.Parse(Zone, DnsName.Parse("example.com"), "example.com.zone");
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        return new ZoneSet([result.Zone!], []);
    }

    public static PoolOptions App(string allDown = "all", params string[] fallback) => new()
    {
        Name = "app.example.com",
        AllDown = allDown,
        Fallback = [.. fallback],
        Edges =
        [
            new EdgeOptions { Name = "edge-1", Ipv4 = "127.0.0.11", Ipv6 = "::11" },
            new EdgeOptions { Name = "edge-2", Ipv4 = "127.0.0.12" },
            new EdgeOptions { Name = "edge-3", Ipv4 = "127.0.0.13" },
        ],
    };

    public static PoolSet Build(params PoolOptions[] pools)
    {
        var (set, errors) = PoolSetBuilder.Build(pools, Zones());
        Assert.Empty(errors);
        return set;
    }
}
