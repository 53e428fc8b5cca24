using System.Net;
using System.Net.Sockets;
using GeoDns.Contracts;
using GeoDns.Sidecar.Admin;
using GeoDns.Testing;

namespace GeoDns.Sidecar.Tests;

/// <summary>The sidecar's client reads what a real nameserver serves: the records are shared, so the test is that they meet.</summary>
public sealed class NameserverEdgeTests
{
    [Fact]
    public async Task EdgesAsync_RealServer_PerAddressStatesAndDrains()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(); // edge-1 accepts; edge-2, on the same port of another address, refuses
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var ns = await Nameserver.StartAsync(port, ("edge-1", "127.0.0.1"), ("edge-2", "127.0.0.2"));
        using var http = new HttpClient();
        var client = new NameserverClient(ns.AdminUri, Nameserver.AdminToken, http);
        Assert.True((await client.DrainAsync("edge-2", "test", CancellationToken.None)).Ok);

        IReadOnlyList<NameserverEdge> edges = [];
        await Eventually.True(() =>
        {
            edges = client.EdgesAsync(CancellationToken.None).GetAwaiter().GetResult().Value!;
            return edges.Count == 2 && edges[0].IsUp && edges[1].IsDown;
        }, "edge-1 Up and edge-2 Down as the client reads them");

        Assert.Equal(["edge-1", "edge-2"], edges.Select(e => e.Name));
        Assert.True(edges[1] is { Drained: true, Pool: "app.example.com" });
        Assert.Equal([EdgeState.Up], edges[0].States);
        Assert.Equal("Down", edges[1].Describe());
    }

    [Fact]
    public void NoAddress_NeitherUpNorDown()
    {
        var edge = NameserverEdge.From(new EdgeView("app.example.com", "e", "api", false, false, null, null, null, null, null, null, 1, []));

        Assert.False(edge.IsUp || edge.IsDown);
        Assert.Equal("no state", edge.Describe());
    }
}
