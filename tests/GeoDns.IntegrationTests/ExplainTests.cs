using System.Net;
using System.Net.Http.Json;
using ARSoft.Tools.Net.Dns;
using GeoDns.Health;
using GeoDns.Protocol;
using GeoDns.Server.Admin;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>GET /v1/explain against the real server with a generated geo database: the explanation matches the real answer.</summary>
public sealed class ExplainTests : IAsyncLifetime
{
    private readonly LoopbackEdges _edges = new(3);
    private string _directory = "";
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("geodns-explain-").FullName;
        var database = Path.Combine(_directory, "geo.mmdb");
        await File.WriteAllBytesAsync(database, new MmdbWriter("GeoDns-Test-City")
            .Insert("81.2.69.0/24", MmdbRecords.City("London", 51.51, -0.13, "GB", "EU"))
            .Insert("175.16.199.0/24", MmdbRecords.City("Changchun", 43.88, 125.32, "CN", "AS"))
            .Build());
        _edges.Stop(1);
        _server = await TestServer.StartAsync(config: $$"""
            {
              "geoDatabase": "{{database}}",
              "pools": [{
                "name": "app.example.com",
                "ttl": 20,
                "probe": { "port": {{_edges.Port}}, "interval": "1s", "timeout": "500ms", "reprobeInterval": "200ms" },
                "edges": [
                  { "name": "edge-fra", "ipv4": "{{_edges.Address(0)}}", "latitude": 50.11, "longitude": 8.68 },
                  { "name": "edge-sgp", "ipv4": "{{_edges.Address(1)}}", "country": "SG" },
                  { "name": "edge-nyc", "ipv4": "{{_edges.Address(2)}}", "latitude": 40.71, "longitude": -74.01 }
                ]
              }]
            }
            """);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _edges.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private Task<ExplainView?> Explain(string query) => _server.Http.GetFromJsonAsync<ExplainView>("/v1/explain?" + query, AdminJson.Options);

    [Fact]
    public async Task PoolName_ClientSubnetInLondon_NearestUpEdgesDistancesAndScope_SameAsTheRealAnswer()
    {
        var view = (await Explain("name=app.example.com&ecs=81.2.69.0/24"))!;

        // edge-sgp is Down: the pool is degraded, its answers carry the degraded TTL (5 s, not the pool's 20 s).
        Assert.Equal(("pool", "A", 5u, 24), (view.Kind, view.Type, view.Ttl, view.EcsScope));
        Assert.Equal($"degraded (edge-sgp {_edges.Address(1)} is Down): degradedTtl 5 s instead of ttl 20 s, so resolvers ask again soon", view.TtlReason);
        Assert.Equal(("ecs", "81.2.69.0/24", "GB", "EU", 24), (view.Location!.Source, view.Location.LookedUp, view.Location.Country, view.Location.Continent, view.Location.Prefix));
        Assert.Equal(["edge-fra", "edge-nyc", "edge-sgp"], view.Candidates.Select(c => c.Edge));
        Assert.Equal([1, 2, (int?)null], view.Candidates.Select(c => c.Rank));
        Assert.InRange(view.Candidates[0].Kilometers!.Value, 600, 700); // London - Frankfurt
        Assert.InRange(view.Candidates[1].Kilometers!.Value, 5500, 5650); // London - New York
        Assert.Equal((HealthState.Down, false), (view.Candidates[2].State, view.Candidates[2].Answerable));
        Assert.Contains("nearest", view.Reason);

        var query = TestQuery.WithOption(TestQuery.Build("app.example.com", DnsType.A, ednsPayload: 1232), 8, TestQuery.ClientSubnet("81.2.69.0/24"));
        var real = ReplyText.Parse(_server.Udp(query)!).AnswerRecords.OfType<ARecord>().Select(r => $"app.example.com. {r.TimeToLive} IN A {r.Address}");
        Assert.Equal(real, view.Answer);
    }

    [Fact]
    public async Task PoolName_ClientAddressWithoutEcs_LocatesTheResolver_ScopeZero()
    {
        var view = (await Explain("name=app.example.com&client=175.16.199.10"))!;

        Assert.Equal(("client", "CN", 0), (view.Location!.Source, view.Location.Country, view.EcsScope));
        Assert.Equal("edge-fra", view.Candidates[0].Edge); // Singapore would be nearest, but it is down
    }

    [Fact]
    public async Task UnknownLocation_EveryHealthyEdge()
    {
        var view = (await Explain("name=app.example.com&client=10.1.2.3"))!;

        Assert.False(view.Location!.Known);
        Assert.Contains("unknown", view.Reason);
        Assert.Equal(2, view.Answer.Count);
    }

    [Fact]
    public async Task StaticName_RecordsFromTheZone()
    {
        var view = (await Explain("name=www.example.com"))!;

        Assert.Equal(("static", "NOERROR", 300u), (view.Kind, view.Rcode, view.Ttl));
        Assert.Equal(["www.example.com. 300 IN A 127.0.0.10"], view.Answer);
        Assert.Contains("same answer", view.Reason);
        Assert.Equal("NXDOMAIN", (await Explain("name=nope.example.com"))!.Rcode);
        Assert.Equal("refused", (await Explain("name=example.org"))!.Kind);
    }

    [Theory]
    [InlineData("", "name: give the name")]
    [InlineData("name=app.example.com&ecs=81.2.69.0/33", "ecs:")]
    [InlineData("name=app.example.com&client=nobody", "client:")]
    [InlineData("name=app.example.com&type=BOGUS", "type:")]
    public async Task BadQuery_400Says(string query, string message)
    {
        using var response = await _server.Http.GetAsync("/v1/explain?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }
}
