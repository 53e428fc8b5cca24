using System.Net;
using ARSoft.Tools.Net.Dns;
using GeoDns.Answering;
using GeoDns.Geo;
using GeoDns.Health;
using GeoDns.Pools;
using GeoDns.Protocol;
using GeoDns.Testing;
using GeoDns.Tests.Geo;
using GeoDns.Tests.Pools;

namespace GeoDns.Tests.Answering;

/// <summary>Which countries each edge is answered to now, asked of the pool's own geo choice: a pool in Frankfurt, Singapore and New York.</summary>
public sealed class PoolCoverageTests
{
    private static PoolOptions World(int answers = 1, Dictionary<string, List<string>>? regions = null, string allDown = "all") => new()
    {
        Name = "app.example.com",
        Answers = answers,
        Regions = regions ?? [],
        AllDown = allDown,
        Edges =
        [
            new EdgeOptions { Name = "edge-fra", Ipv4 = "127.0.0.11", Latitude = 50.11, Longitude = 8.68 },
            new EdgeOptions { Name = "edge-sgp", Ipv4 = "127.0.0.12", Country = "SG" },
            new EdgeOptions { Name = "edge-nyc", Ipv4 = "127.0.0.13", Latitude = 40.71, Longitude = -74.01 },
        ],
    };

    private static Snapshot Published(PoolOptions options, string[]? down = null, string[]? drained = null, GeoDatabase? geo = null)
    {
        var pools = PoolFixture.Build(options);
        var health = new HealthReport(pools.Targets().ToDictionary(t => t, t =>
            new TargetStatus(down?.Contains(t.Address.ToString()) == true ? HealthState.Down : HealthState.Up, DateTimeOffset.UnixEpoch, null, 0, 0)));
        var overrides = (drained ?? []).ToDictionary(e => e, _ => new EdgeOverride(true, null, DateTimeOffset.UnixEpoch, "test"));
        var routes = RoutingTableBuilder.Build(pools, health, overrides);
        return Snapshot.Empty with { Table = AnswerTableBuilder.Build(PoolFixture.Zones(), routes), Routes = routes, Geo = geo };
    }

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> Coverage(PoolOptions options, string[]? down = null, string[]? drained = null, bool geo = true) =>
        PoolCoverage.Of(Published(options, down, drained).PoolAnswer(DnsName.Parse("app.example.com"))!, geo);

    private static string[] Countries(IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> coverage, string edge) =>
        coverage.TryGetValue(edge, out var continents) ? [.. continents.Values.SelectMany(c => c)] : [];

    [Fact]
    public void OneAnswer_EachCountryToItsNearestEdge_EveryCountryOnce()
    {
        var coverage = Coverage(World());

        Assert.Contains("DE", coverage["edge-fra"]["EU"]);
        Assert.Contains("SG", coverage["edge-sgp"]["AS"]);
        Assert.Contains("US", coverage["edge-nyc"]["NA"]);
        Assert.Contains("JP", Countries(coverage, "edge-sgp"));
        Assert.Equal(CountryCentroids.Count, coverage.Values.Sum(c => c.Values.Sum(list => list.Count)));
        Assert.Equal(CountryCentroids.Codes.Order(StringComparer.Ordinal), coverage.Values.SelectMany(c => c.Values.SelectMany(l => l)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ByContinent_SortedCodes_MostCountriesFirst()
    {
        var fra = Coverage(World())["edge-fra"];

        Assert.Equal("EU", fra.Keys.First());
        Assert.All(fra.Values, codes => Assert.Equal(codes.Order(StringComparer.Ordinal), codes));
        Assert.Equal(fra.Values.Select(c => c.Count).OrderDescending(), fra.Values.Select(c => c.Count));
    }

    [Fact]
    public void TwoAnswers_EveryCountryOnTwoEdges() =>
        Assert.All(CountryCentroids.Codes, code =>
            Assert.Equal(2, new[] { "edge-fra", "edge-sgp", "edge-nyc" }.Count(e => Countries(Coverage(World(answers: 2)), e).Contains(code))));

    [Fact]
    public void RegionMaps_CountryAndContinent_OverrideDistance()
    {
        var coverage = Coverage(World(regions: new() { ["JP"] = ["edge-fra"], ["SA"] = ["edge-sgp"] }));

        Assert.Contains("JP", Countries(coverage, "edge-fra"));
        Assert.DoesNotContain("JP", Countries(coverage, "edge-sgp"));
        Assert.Contains("BR", coverage["edge-sgp"]["SA"]);
        Assert.False(coverage["edge-nyc"].ContainsKey("SA"));
    }

    [Fact]
    public void NearestDown_ItsCountriesGoToTheNextNearest_ItAnswersNowhere()
    {
        var coverage = Coverage(World(), down: ["127.0.0.11"]);

        Assert.False(coverage.ContainsKey("edge-fra"));
        Assert.Contains("DE", Countries(coverage, "edge-nyc"));
    }

    [Fact]
    public void AandAaaa_Joined_TheOnlyIpv6EdgeAnswersEveryCountrysAaaa()
    {
        var options = World();
        options.Edges[2].Ipv6 = "::13";

        var coverage = Coverage(options);

        Assert.Equal(CountryCentroids.Count, Countries(coverage, "edge-nyc").Length);
        Assert.Contains("DE", Countries(coverage, "edge-fra"));
    }

    [Fact]
    public void OnlyTheIpv6AddressUp_StillAnswersByAaaa()
    {
        var options = World();
        options.Edges[0].Ipv6 = "::11";

        var coverage = Coverage(options, down: ["127.0.0.11"]);

        Assert.Contains("DE", Countries(coverage, "edge-fra")); // AAAA
        Assert.Contains("DE", Countries(coverage, "edge-nyc")); // A
    }

    [Fact]
    public void Drained_AnswersNowhere() =>
        Assert.False(Coverage(World(), drained: ["edge-sgp"]).ContainsKey("edge-sgp"));

    [Fact]
    public void EquallyNear_TakeTurns_BothAnswerTheCountry()
    {
        var options = World();
        (options.Edges[2].Latitude, options.Edges[2].Longitude) = (50.11, 8.68); // a second edge in Frankfurt

        var coverage = Coverage(options);

        Assert.Contains("DE", Countries(coverage, "edge-fra"));
        Assert.Contains("DE", Countries(coverage, "edge-nyc"));
    }

    [Fact]
    public void NoGeoDatabase_EveryClientUnknown_EveryHealthyEdgeEverywhere()
    {
        var coverage = Coverage(World(), down: ["127.0.0.12"], geo: false);

        Assert.Equal(CountryCentroids.Count, Countries(coverage, "edge-fra").Length);
        Assert.Equal(CountryCentroids.Count, Countries(coverage, "edge-nyc").Length);
        Assert.False(coverage.ContainsKey("edge-sgp"));
    }

    [Theory]
    [InlineData("all", 2)] // fail open: every edge not drained, to everyone
    [InlineData("none", 0)]
    public void AllDown_ThePolicyAnswersEveryoneAlike(string allDown, int everywhere)
    {
        var coverage = Coverage(World(allDown: allDown), down: ["127.0.0.11", "127.0.0.12", "127.0.0.13"], drained: ["edge-nyc"]);

        Assert.Equal(everywhere, coverage.Count(e => Countries(coverage, e.Key).Length == CountryCentroids.Count));
        Assert.False(coverage.ContainsKey("edge-nyc"));
    }

    /// <summary>Asking at any turn at once gives what asking turn by turn does, with ties, weights, region maps and Suspect edges.</summary>
    [Fact]
    public void AtAnyTurn_AsEveryTurnAskedInTurn()
    {
        var options = World(answers: 2, regions: new() { ["BR"] = ["edge-sgp"] });
        options.Edges.Add(new EdgeOptions { Name = "edge-fra2", Ipv4 = "127.0.0.14", Latitude = 50.11, Longitude = 8.68 });
        options.Edges.Add(new EdgeOptions { Name = "edge-ams", Ipv4 = "127.0.0.15", Latitude = 52.37, Longitude = 4.9, Weight = 3 });
        options.Edges.Add(new EdgeOptions { Name = "edge-lon", Ipv4 = "127.0.0.16", Latitude = 51.51, Longitude = -0.13 });
        var pools = PoolFixture.Build(options);
        var health = new HealthReport(pools.Targets().ToDictionary(t => t, t =>
            new TargetStatus(t.Address.ToString() == "127.0.0.16" ? HealthState.Suspect : HealthState.Up, DateTimeOffset.UnixEpoch, null, 0, 0)));
        var table = AnswerTableBuilder.Build(PoolFixture.Zones(), RoutingTableBuilder.Build(pools, health, new Dictionary<string, EdgeOverride>()));
        var geo = table.Slot(DnsName.Parse("app.example.com"))!.Current!.GeoA!;

        foreach (var code in CountryCentroids.Codes)
        {
            var (latitude, longitude, continent) = CountryCentroids.Find(code)!.Value;
            var location = new GeoLocation(latitude, longitude, code, continent, 24);
            var turnByTurn = Enumerable.Range(0, geo.Candidates.Count).SelectMany(turn => geo.Chosen(location, (uint)turn)).Select(c => c.Edge.Name).ToHashSet();
            Assert.True(turnByTurn.SetEquals(geo.ChosenAtAnyTurn(location).Select(c => c.Edge.Name)), code);
        }
    }

    /// <summary>The query path agrees: clients a country-only database places in a country get the edge whose coverage holds it.</summary>
    [Fact]
    public void CountryOnlyClients_GetTheEdgeThatCoversTheirCountry()
    {
        string[] countries = ["DE", "SE", "JP", "BR", "AU", "ZA", "IN", "MX", "RU", "EG"];
        var writer = new MmdbWriter("GeoDns-Test-Country");
        for (var i = 0; i < countries.Length; i++) writer.Insert($"198.51.{i}.0/24", MmdbRecords.CountryCode(countries[i]));
        using var mmdb = new TempMmdb(writer);
        var snapshot = Published(World(), geo: mmdb.Open());
        var coverage = PoolCoverage.Of(snapshot.PoolAnswer(DnsName.Parse("app.example.com"))!, geo: true);
        var server = new Responder { Snapshot = snapshot };
        var edgeOf = new Dictionary<string, string> { ["127.0.0.11"] = "edge-fra", ["127.0.0.12"] = "edge-sgp", ["127.0.0.13"] = "edge-nyc" };

        for (var i = 0; i < countries.Length; i++)
        {
            var query = TestQuery.WithOption(TestQuery.Build("app.example.com", DnsType.A, ednsPayload: 1232), 8, TestQuery.ClientSubnet($"198.51.{i}.0/24"));
            var reply = new byte[4096];
            var answer = ReplyText.Parse(reply[..server.Respond(query, reply, tcp: false)]).AnswerRecords.OfType<ARecord>().Single().Address;
            Assert.True(Countries(coverage, edgeOf[answer.ToString()]).Contains(countries[i]), $"{countries[i]} got {edgeOf[answer.ToString()]}");
        }
    }
}
