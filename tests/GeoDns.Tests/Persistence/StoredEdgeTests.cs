using GeoDns.Pools;
using GeoDns.Persistence;

namespace GeoDns.Tests.Persistence;

public sealed class StoredEdgeTests : IDisposable
{
    private static readonly DateTimeOffset Added = new(2030, 1, 1, 12, 0, 0, 250, TimeSpan.Zero);
    private readonly StoreDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static StoredEdge Edge(string pool, string name, double weight = 1) =>
        new(pool, name, "192.0.2.10", "2001:db8::10", 50.11, 8.68, "DE", weight, Added);

    [Fact]
    public void Edges_SurviveReopen()
    {
        var store = _dir.Open();
        var fra = Edge("app.edge.example.com", "edge-fra");
        var bare = new StoredEdge("app.edge.example.com", "edge-bare", "192.0.2.11", null, null, null, null, 0.5, Added);
        store.AddEdge(fra);
        store.AddEdge(bare);

        Assert.Equal([bare, fra], _dir.Reopen(store).Edges());
    }

    [Fact]
    public void AddEdge_UpsertsByPoolAndName()
    {
        var store = _dir.Open();
        store.AddEdge(Edge("app.edge.example.com", "edge-fra"));
        store.AddEdge(Edge("api.edge.example.com", "edge-fra"));

        store.AddEdge(Edge("app.edge.example.com", "edge-fra", weight: 3));

        Assert.Equal([Edge("api.edge.example.com", "edge-fra"), Edge("app.edge.example.com", "edge-fra", weight: 3)], store.Edges());
    }

    [Fact]
    public void RemoveEdge_RemovesOnlyThatPoolsEdge()
    {
        var store = _dir.Open();
        store.AddEdge(Edge("app.edge.example.com", "edge-fra"));
        store.AddEdge(Edge("api.edge.example.com", "edge-fra"));

        Assert.True(store.RemoveEdge("app.edge.example.com", "edge-fra"));
        Assert.False(store.RemoveEdge("app.edge.example.com", "edge-fra"));

        Assert.Equal([Edge("api.edge.example.com", "edge-fra")], _dir.Reopen(store).Edges());
    }
}
