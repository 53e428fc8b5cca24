using System.Text.Json;
using GeoDns.Sidecar.Admin;

namespace GeoDns.Sidecar.Tests;

public sealed class NameserverEdgeTests
{
    private static IReadOnlyList<NameserverEdge> Parse(string json) => NameserverEdge.ParseList(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void GeoDnsShape_PerAddressStates_AllMustBeUp()
    {
        var edges = Parse("""
            [
              { "pool": "app.example.com", "name": "edge-1", "source": "config", "inAnswers": true, "drained": false, "forced": null,
                "addresses": [ { "address": "192.0.2.1", "state": "Up", "effective": "Up", "lastProbe": { "success": true } },
                               { "address": "2001:db8::1", "state": "Suspect", "effective": "Suspect" } ] },
              { "pool": "app.example.com", "name": "edge-2", "drained": true, "addresses": [ { "address": "192.0.2.2", "state": "Down" } ] }
            ]
            """);

        Assert.Equal(["edge-1", "edge-2"], edges.Select(e => e.Name));
        Assert.Equal([EdgeState.Up, EdgeState.Suspect], edges[0].States);
        Assert.False(edges[0].IsUp);
        Assert.False(edges[0].IsDown);
        Assert.True(edges[1] is { IsDown: true, Drained: true, Pool: "app.example.com" });
    }

    [Theory]
    [InlineData("""[{"name": "e", "state": "up"}]""")]
    [InlineData("""[{"Name": "e", "State": "UP", "addresses": [{"state": "Down"}]}]""")] // a top-level state is the summary
    [InlineData("""{"edges": [{"name": "e", "health": "Up"}]}""")]
    [InlineData("""[{"name": "e", "states": {"192.0.2.1": "Up", "2001:db8::1": "Up"}}]""")]
    public void OtherShapes_ReadTolerantly(string json)
    {
        Assert.True(Parse(json).Single().IsUp);
    }

    [Fact]
    public void NoState_NeitherUpNorDown()
    {
        var edge = Parse("""[{"name": "e", "addresses": [{"address": "192.0.2.1"}]}, {"nameless": true}]""").Single();

        Assert.False(edge.IsUp || edge.IsDown);
        Assert.Equal("no state", edge.Describe());
    }
}
