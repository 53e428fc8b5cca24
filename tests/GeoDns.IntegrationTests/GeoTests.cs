using System.Diagnostics;
using System.Net.Http.Json;
using ARSoft.Tools.Net.Dns;
using GeoDns.Contracts;
using GeoDns.Protocol;
using GeoDns.Server.Admin;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>The real server with a generated MaxMind database and real edges: nearest first, failover, database swap.</summary>
public sealed class GeoTests
{
    private static byte[] Database(string londonCity, double latitude, double longitude, string country, string continent) =>
        new MmdbWriter("GeoDns-Test-City")
            .Insert("81.2.69.0/24", MmdbRecords.City(londonCity, latitude, longitude, country, continent))
            .Insert("175.16.199.0/24", MmdbRecords.City("Changchun", 43.88, 125.32, "CN", "AS"))
            .Build();

    private static string Config(LoopbackEdges edges, string database) => $$"""
        {
          "geoDatabase": "{{database}}",
          "pools": [{
            "name": "app.example.com",
            "probe": { "port": {{edges.Port}}, "interval": "1s", "timeout": "500ms", "reprobeInterval": "200ms" },
            "edges": [
              { "name": "edge-fra", "ipv4": "{{edges.Address(0)}}", "latitude": 50.11, "longitude": 8.68 },
              { "name": "edge-sgp", "ipv4": "{{edges.Address(1)}}", "country": "SG" },
              { "name": "edge-nyc", "ipv4": "{{edges.Address(2)}}", "latitude": 40.71, "longitude": -74.01 }
            ]
          }]
        }
        """;

    private static string[] Ask(TestServer server, string subnet)
    {
        var query = TestQuery.WithOption(TestQuery.Build("app.example.com", DnsType.A, ednsPayload: 1232), 8, TestQuery.ClientSubnet(subnet));
        return ReplyText.Parse(server.Udp(query)!).AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()).ToArray();
    }


    [Fact]
    public async Task NearestFirstPerClient_NearestStopped_NextNearestPromoted_DatabaseSwapped_Followed()
    {
        using var edges = new LoopbackEdges(3);
        var directory = Directory.CreateTempSubdirectory("geodns-geo-").FullName;
        var database = Path.Combine(directory, "geo.mmdb");
        await File.WriteAllBytesAsync(database, Database("London", 51.51, -0.13, "GB", "EU"));
        await using var server = await TestServer.StartAsync(config: Config(edges, database));

        Assert.Equal([edges.Address(0), edges.Address(2)], Ask(server, "81.2.69.0/24"));
        Assert.Equal([edges.Address(1), edges.Address(0)], Ask(server, "175.16.199.0/24"));

        edges.Stop(0);
        await Eventually.True(() => Ask(server, "81.2.69.0/24")[0] == edges.Address(2), "the next nearest edge is first", TimeSpan.FromSeconds(6));
        Assert.Equal([edges.Address(2), edges.Address(1)], Ask(server, "81.2.69.0/24"));
        edges.Start(0);
        await Eventually.True(() => Ask(server, "81.2.69.0/24")[0] == edges.Address(0), "the nearest edge is first again", TimeSpan.FromSeconds(8));

        // Replace the file the way fetch-geodb.sh does (write aside, rename): the server follows.
        await File.WriteAllBytesAsync(database + ".new", Database("Tokyo", 35.68, 139.69, "JP", "AS"));
        File.Move(database + ".new", database, overwrite: true);
        await Eventually.True(() => Ask(server, "81.2.69.0/24")[0] == edges.Address(1), "the swapped database is followed", TimeSpan.FromSeconds(5));
        Directory.Delete(directory, recursive: true);
    }

    /// <summary><c>GET /v1/edges</c> names the countries each edge is answered to now; an edge going down hands its countries on.</summary>
    [Fact]
    public async Task AdminEdges_AnswersForTheNearestCountries_AnEdgeDownHandsThemOn()
    {
        using var edges = new LoopbackEdges(3);
        var directory = Directory.CreateTempSubdirectory("geodns-geo-").FullName;
        var database = Path.Combine(directory, "geo.mmdb");
        await File.WriteAllBytesAsync(database, Database("London", 51.51, -0.13, "GB", "EU"));
        await using var server = await TestServer.StartAsync(config: Config(edges, database).Replace("\"probe\"", "\"answers\": 1, \"probe\""));
        async Task<Dictionary<string, Dictionary<string, string[]>?>> AnswersFor() =>
            (await server.Http.GetFromJsonAsync<List<EdgeView>>("/v1/edges", AdminJson.Options))!
                .ToDictionary(e => e.Name, e => e.AnswersFor?.ToDictionary(c => c.Key, c => c.Value.ToArray()));

        var now = await AnswersFor();
        Assert.Contains("DE", now["edge-fra"]!["EU"]);
        Assert.Contains("SG", now["edge-sgp"]!["AS"]);
        Assert.Contains("US", now["edge-nyc"]!["NA"]);
        Assert.DoesNotContain("DE", now["edge-nyc"]!.GetValueOrDefault("EU") ?? []);
        // Only /v1/edges works it out: the pools' edges, polled by the dashboard, leave it out.
        Assert.DoesNotContain("answersFor", await server.Http.GetStringAsync("/v1/pools"));

        edges.Stop(0);
        await Eventually.True(async () => (await AnswersFor())["edge-fra"]!.Count == 0, "edge-fra answers no country once Down", TimeSpan.FromSeconds(6));
        Assert.Contains("DE", (await AnswersFor())["edge-nyc"]!["EU"]);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task MissingDatabase_GeoOff_EveryHealthyEdgeAnswered()
    {
        using var edges = new LoopbackEdges(3);
        await using var server = await TestServer.StartAsync(config: Config(edges, "/nonexistent/geo.mmdb"));

        Assert.Null(server.Service.Observations.Snapshot.Geo);
        Assert.Equal(3, Ask(server, "81.2.69.0/24").Length);
    }
}
