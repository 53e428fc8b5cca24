using GeoDns.Sidecar.State;
using GeoDns.Sidecar.WireGuard;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Sidecar.Tests;

public sealed class TunnelAddressesTests
{
    private static TunnelAddresses Network(string text = "10.77.0.0/24") => TunnelAddresses.Parse(text, out _)!;

    [Fact]
    public void Home_IsDotOne_EdgesStartAtDotTen()
    {
        var tunnel = Network();

        Assert.Equal("10.77.0.1", tunnel.Home.ToString());
        Assert.Equal("10.77.0.10", tunnel.Allocate([])!.ToString());
        Assert.Equal("10.77.0.12", tunnel.Allocate(["10.77.0.10", "10.77.0.11"])!.ToString());
        Assert.Equal("10.77.0.11", tunnel.Allocate(["10.77.0.10", "10.77.0.12"])!.ToString());
    }

    [Fact]
    public void Allocate_FullNetwork_Null()
    {
        var tunnel = Network("10.77.0.0/27"); // .10 to .30
        var held = Enumerable.Range(10, 21).Select(i => $"10.77.0.{i}").ToList();

        Assert.Null(tunnel.Allocate(held));
        Assert.Equal("10.77.0.30", tunnel.Allocate(held[..^1])!.ToString());
    }

    [Theory]
    [InlineData("10.77.0.0")]
    [InlineData("10.77.0.0/28")]
    [InlineData("fd00::/64")]
    [InlineData("10.77.0.999/24")]
    public void Parse_Unusable_ErrorNamesIt(string text)
    {
        Assert.Null(TunnelAddresses.Parse(text, out var error));
        Assert.Contains(text, error);
    }

    [Fact]
    public void Inventory_DrainingEdgeKeepsItsAddress_RetiredOneFreesIt()
    {
        using var scratch = new Scratch();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        using var state = StateFile.Open(scratch.Path).Value!;
        var inventory = new EdgeInventory(state, time);
        var tunnel = Network();
        inventory.Seed([new EdgeHost { Name = "edge-1", Ipv4 = "192.0.2.1" }, new EdgeHost { Name = "edge-2", Ipv4 = "192.0.2.2" }]);
        Assert.True(inventory.Complete(tunnel, KeyPair.GenerateWithNSec).Ok);
        Assert.Equal(["10.77.0.10", "10.77.0.11"], inventory.All().Select(e => e.Tunnel));

        inventory.Change("edge-1", EdgeRole.Draining);
        inventory.Save(new KnownEdge(new EdgeHost { Name = "edge-1-r1", Ipv4 = "192.0.2.3" }, EdgeRole.Joining, null, null, time.GetUtcNow()));
        inventory.Complete(tunnel, KeyPair.GenerateWithNSec);
        Assert.Equal("10.77.0.12", inventory.Find("edge-1-r1")!.Tunnel); // not edge-1's .10: it still drains

        inventory.Change("edge-1", EdgeRole.Retired);
        inventory.Save(new KnownEdge(new EdgeHost { Name = "edge-2-r1", Ipv4 = "192.0.2.4" }, EdgeRole.Joining, null, null, time.GetUtcNow()));
        inventory.Complete(tunnel, KeyPair.GenerateWithNSec);
        Assert.Equal("10.77.0.10", inventory.Find("edge-2-r1")!.Tunnel); // edge-1 is destroyed: .10 is free again
    }

    [Fact]
    public void Inventory_Seed_NeverRevivesARetiredEdge()
    {
        using var scratch = new Scratch();
        using var state = StateFile.Open(scratch.Path).Value!;
        var inventory = new EdgeInventory(state, TimeProvider.System);
        var listed = new[] { new EdgeHost { Name = "edge-1", Ipv4 = "192.0.2.1" } };
        inventory.Seed(listed);
        inventory.Change("edge-1", EdgeRole.Retired);

        Assert.Empty(inventory.Seed(listed));
        Assert.Equal(EdgeRole.Retired, inventory.Find("EDGE-1")!.Role);
    }
}
