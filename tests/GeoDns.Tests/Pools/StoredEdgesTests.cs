using GeoDns.Pools;

namespace GeoDns.Tests.Pools;

/// <summary>Edges added at run time, merged into the configured pools; the config wins every clash, and a misfit never rejects the config.</summary>
public sealed class StoredEdgesTests
{
    private static StoredEdge Stored(string name, string ipv4 = "127.0.0.50", string pool = "app.example.com") =>
        new(pool, name, ipv4, null, null, null, "DE", 1, DateTimeOffset.UnixEpoch);

    private static (IReadOnlyList<Edge> Edges, List<string> Skipped) Build(params StoredEdge[] stored)
    {
        var skipped = new List<string>();
        var (pools, errors) = PoolSetBuilder.Build([PoolFixture.App()], PoolFixture.Zones(), stored, skipped);
        Assert.Empty(errors);
        return (pools.Pools[0].Edges, skipped);
    }

    [Fact]
    public void StoredEdge_AppendedToItsPool_AsApiSource_AndProbed()
    {
        var (edges, skipped) = Build(Stored("edge-api"));

        Assert.Equal(["edge-1", "edge-2", "edge-3", "edge-api"], edges.Select(e => e.Name));
        Assert.Equal(("api", "DE"), (edges[3].Source, edges[3].Country));
        Assert.Empty(skipped);
        Assert.Contains(PoolSetBuilder.Build([PoolFixture.App()], PoolFixture.Zones(), [Stored("edge-api")], null).Pools.Targets(), t => t.Address.ToString() == "127.0.0.50");
    }

    [Theory]
    [InlineData("EDGE-1", "127.0.0.50", "app.example.com", "already has an edge of that name")]
    [InlineData("edge-api", "127.0.0.999", "app.example.com", "ipv4: '127.0.0.999' is not an IPv4 address")]
    [InlineData("edge-api", "127.0.0.50", "gone.example.com", "the pool is not in the config")]
    public void Misfit_Skipped_WithReason(string name, string ipv4, string pool, string reason)
    {
        var (edges, skipped) = Build(Stored(name, ipv4, pool));

        Assert.Equal(3, edges.Count);
        Assert.Contains(reason, Assert.Single(skipped));
    }

    [Fact]
    public void ValidateEdge_MessagesNameTheBodyKeys()
    {
        Assert.Null(PoolSetBuilder.ValidateEdge(new EdgeOptions { Name = "x", Ipv6 = "nope", Latitude = 1 }, "api", out var errors));

        Assert.Equal(["ipv6: 'nope' is not an IPv6 address", "give both latitude and longitude, or neither"], errors);
    }
}
