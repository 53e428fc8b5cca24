using System.Net;
using ARSoft.Tools.Net.Dns;
using GeoDns.Answering;
using GeoDns.Health;
using GeoDns.Pools;
using GeoDns.Protocol;
using GeoDns.Testing;
using GeoDns.Tests.Geo;
using GeoDns.Tests.Pools;

namespace GeoDns.Tests.Answering;

/// <summary>Pool answers chosen for the client's location, from a small generated MaxMind database.</summary>
public sealed class GeoAnswerTests : IDisposable
{
    private readonly TempMmdb _mmdb = new(new MmdbWriter("GeoDns-Test-City")
        .Insert("81.2.69.0/24", MmdbRecords.City("London", 51.51, -0.13, "GB", "EU"))
        .Insert("175.16.199.0/24", MmdbRecords.City("Changchun", 43.88, 125.32, "CN", "AS"))
        .Insert("89.160.20.0/24", MmdbRecords.CountryCode("SE"))
        .Insert("2a02:db8::/32", MmdbRecords.Country("DE", "EU")));

    private static PoolOptions World(int answers = 2, Dictionary<string, List<string>>? regions = null) => new()
    {
        Name = "app.example.com",
        Answers = answers,
        Regions = regions ?? [],
        Edges =
        [
            new EdgeOptions { Name = "edge-fra", Ipv4 = "127.0.0.11", Ipv6 = "::11", Latitude = 50.11, Longitude = 8.68 },
            new EdgeOptions { Name = "edge-sgp", Ipv4 = "127.0.0.12", Country = "SG" },
            new EdgeOptions { Name = "edge-nyc", Ipv4 = "127.0.0.13", Latitude = 40.71, Longitude = -74.01 },
        ],
    };

    private Responder Server(PoolOptions options, params string[] down)
    {
        var pools = PoolFixture.Build(options);
        var probe = pools.Pools[0].Probe;
        var health = new HealthReport(pools.Targets().ToDictionary(t => t, t =>
            new TargetStatus(down.Contains(t.Address.ToString()) ? HealthState.Down : HealthState.Up, DateTimeOffset.UnixEpoch, null, 0, 0)));
        var routes = RoutingTableBuilder.Build(pools, health, new Dictionary<string, EdgeOverride>());
        return new Responder { Snapshot = Snapshot.Empty with { Table = AnswerTableBuilder.Build(PoolFixture.Zones(), routes), Geo = _mmdb.Open() } };
    }

    private static (string[] Addresses, byte Scope) Ask(Responder server, string subnet, ushort type = DnsType.A)
    {
        var ecs = TestQuery.ClientSubnet(subnet);
        var reply = new byte[4096];
        var length = server.Respond(TestQuery.WithOption(TestQuery.Build("app.example.com", type, ednsPayload: 1232), 8, ecs), reply, tcp: false);
        var message = ReplyText.Parse(reply[..length]);
        var addresses = message.AnswerRecords.Select(r => r switch { ARecord a => a.Address, AaaaRecord a => a.Address, _ => IPAddress.None }).Select(a => a.ToString()).ToArray();
        return (addresses, reply[length - ecs.Length + 3]);
    }

    [Fact]
    public void ClientInLondon_FrankfurtThenNewYork_ScopeOfTheNetwork() =>
        Expect(["127.0.0.11", "127.0.0.13"], 24, Ask(Server(World()), "81.2.69.0/24"));

    private static void Expect(string[] addresses, byte scope, (string[] Addresses, byte Scope) actual)
    {
        Assert.Equal(addresses, actual.Addresses);
        Assert.Equal(scope, actual.Scope);
    }

    [Fact]
    public void ClientInChina_SingaporeFirst() =>
        Assert.Equal(["127.0.0.12", "127.0.0.11"], Ask(Server(World()), "175.16.199.0/24").Addresses);

    [Fact]
    public void CountryOnlyDatabaseRecord_PlacedAtTheCountryCentroid() =>
        Assert.Equal("127.0.0.11", Ask(Server(World()), "89.160.20.0/24").Addresses[0]);

    [Fact]
    public void EcsLongerThan24_LookedUpAndScopedAt24() =>
        Expect(["127.0.0.11", "127.0.0.13"], 24, Ask(Server(World()), "81.2.69.77/32"));

    [Fact]
    public void Ipv6Client_NearestByCountry_ScopeOfTheNetwork() =>
        Expect(["::11"], 32, Ask(Server(World()), "2a02:db8:ab::/48", DnsType.AAAA));

    [Fact]
    public void NearestEdgeDown_NextNearestAnswers() =>
        Assert.Equal(["127.0.0.13", "127.0.0.12"], Ask(Server(World(), "127.0.0.11"), "81.2.69.0/24").Addresses);

    [Fact]
    public void OnlyOneEdgeUp_ItAnswersEverywhere() =>
        Assert.Equal(["127.0.0.12"], Ask(Server(World(), "127.0.0.11", "127.0.0.13"), "81.2.69.0/24").Addresses);

    [Fact]
    public void RegionMap_OverridesDistance() =>
        Assert.Equal(["127.0.0.13", "127.0.0.12"], Ask(Server(World(regions: new() { ["CN"] = ["edge-nyc"] })), "175.16.199.0/24").Addresses);

    [Fact]
    public void ContinentRegionMap_AppliesToEveryCountryOfIt() =>
        Assert.Equal("127.0.0.12", Ask(Server(World(regions: new() { ["EU"] = ["edge-sgp"] })), "81.2.69.0/24").Addresses[0]);

    [Fact]
    public void UnknownLocation_EveryHealthyEdgeInTurn()
    {
        var server = Server(World());
        var firsts = Enumerable.Range(0, 40).Select(_ => Ask(server, "198.51.100.0/24")).ToList();

        Assert.All(firsts, a => Assert.Equal(3, a.Addresses.Length));
        Assert.Equal(3, firsts.Select(a => a.Addresses[0]).Distinct().Count());
    }

    [Fact]
    public void SourcePrefixZero_ScopeZero() =>
        Assert.Equal(0, Ask(Server(World()), "0.0.0.0/0").Scope);

    [Fact]
    public void EqualCandidates_Rotate()
    {
        var options = World();
        options.Edges[2].Latitude = 50.11; // a second edge in Frankfurt
        options.Edges[2].Longitude = 8.68;
        var server = Server(options);

        var firsts = Enumerable.Range(0, 10).Select(_ => Ask(server, "81.2.69.0/24").Addresses[0]).Distinct().Order();

        Assert.Equal(["127.0.0.11", "127.0.0.13"], firsts);
    }

    [Fact]
    public void GeoAnswer_AfterWarmUp_AllocatesNothing()
    {
        var server = Server(World());
        var query = TestQuery.WithOption(TestQuery.Build("app.example.com", DnsType.A, ednsPayload: 1232), 8, TestQuery.ClientSubnet("81.2.69.0/24"));
        var reply = new byte[4096];
        for (var i = 0; i < 200; i++) server.Respond(query, reply, tcp: false);

        var allocated = AllocationRounds.Measure(() =>
        {
            for (var i = 0; i < 1000; i++) server.Respond(query, reply, tcp: false);
        });

        Assert.True(allocated[^1] == 0, $"bytes allocated per round of 1,000 answers: {string.Join(", ", allocated)}");
    }

    public void Dispose() => _mmdb.Dispose();
}
