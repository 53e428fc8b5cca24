using GeoDns.Sidecar.Daemon;
using GeoDns.Sidecar.Nginx;
using GeoDns.Sidecar.Signals;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The attack verdicts (<see cref="AttackWatch"/>) on fleets written by hand: an edge's signals history of 5 s points,
/// the nameservers' views and its tunnel.
/// </summary>
public sealed class AttackWatchTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-03-01T12:00:00Z");

    private sealed class History
    {
        public List<SignalsPoint> Points { get; } = [];

        public DateTimeOffset At => Start.AddSeconds(Points.Count * 5);

        public History For(int seconds, double requests = 0, double bits = 1_000_000, long synRecv = 0, params (string Address, long Count)[] sources)
        {
            for (var i = 0; i < seconds / 5; i++)
                Points.Add(new SignalsPoint(At.AddSeconds(5), 5, requests, requests / 10, 0, 0, bits, bits, bits / 8000, bits / 8000, 0, 0, 4, synRecv,
                    [.. sources.Select(s => new EdgeSignalsSample.SourceCount(s.Address, s.Count))]));
            return this;
        }
    }

    private static EdgeSight Edge(string name, History? signals, string state = "Up", bool stale = false, string role = "Serving", string ns2 = "") =>
        new(name, role, "DE", [new EdgeOpinion("ns1", state, true, false, null, null, null), new EdgeOpinion("ns2", ns2 == "" ? state : ns2, true, false, null, null, null)], null,
            new TunnelState(stale, "WireGuard: latest handshake 3 s ago"))
        {
            Signals = signals is null ? new EdgeSignals("connection refused", null, null, [], null)
                : new EdgeSignals(null, new EdgeSignalsSample(1, "run-1", 0, 1, 5, null, null, null, new EdgeSignalsSample.TcpCounters(0, 0, 0, 0)), signals.Points[^1], signals.Points, null),
        };

    private static FleetSnapshot Fleet(DateTimeOffset at, params EdgeSight[] edges) => FleetSnapshot.Empty with { At = at, Edges = edges };

    private static IReadOnlyList<AttackVerdict> Judge(History edge1, AttackOptions? options = null) =>
        new AttackWatch(options ?? new AttackOptions(), NginxMode.Tls).Judge(Fleet(edge1.At, Edge("edge-1", edge1), Edge("edge-2", new History().For(60, 5))));

    [Fact]
    public void Flood_RequestsTenTimesBaselineForSustain_VerdictNamesTheSignalAndFigures()
    {
        var edge = new History().For(600, requests: 120).For(25, requests: 1450);
        Assert.Empty(Judge(edge)); // 25 s of it: a burst, not yet a flood

        var verdict = Assert.Single(Judge(edge.For(5, requests: 1450)));
        Assert.Equal((AttackKind.Flood, "edge-1"), (verdict.Kind, verdict.Edge));
        Assert.Equal("attack: flood (requests 1450/s, 12× baseline 120/s, for 30 s)", verdict.Trigger);
    }

    [Fact]
    public void Flood_BusyButUnderFactorTimesBaseline_NoVerdict() =>
        Assert.Empty(Judge(new History().For(600, requests: 100).For(120, requests: 900)));

    [Fact]
    public void Flood_ADipInTheWindow_StartsTheCountAgain() =>
        Assert.Empty(Judge(new History().For(600, requests: 50).For(20, requests: 2000).For(5, requests: 50).For(20, requests: 2000)));

    [Fact]
    public void Flood_NewEdge_OnlyTheFloorsApply()
    {
        Assert.Empty(Judge(new History().For(10, requests: 5).For(60, requests: 180))); // 36× its first seconds, under the 200/s floor
        var verdict = Assert.Single(Judge(new History().For(10, requests: 5).For(30, requests: 250)));
        Assert.Equal("flood (requests 250/s, above the floor 200/s (too little history for a baseline), for 30 s)", verdict.Summary);
    }

    [Fact]
    public void Flood_QuietEdge_FloorAboveTenTimesBaseline_NeedsTheFloor()
    {
        Assert.Empty(Judge(new History().For(600, requests: 2).For(60, requests: 150))); // 75× baseline, under the floor
        Assert.Contains("above the floor 200/s (baseline 2/s)", Assert.Single(Judge(new History().For(600, requests: 2).For(30, requests: 300))).Summary);
    }

    [Fact]
    public void Flood_SynRecvAndReceivedBits_AreSignalsToo()
    {
        Assert.Equal("flood (SYN-RECV 900 sockets, above the floor 256 sockets (baseline 0 sockets), for 30 s)",
            Assert.Single(Judge(new History().For(600, requests: 10).For(30, requests: 10, synRecv: 900))).Summary);
        Assert.StartsWith("flood (received 800 Mbit/s, 16× baseline 50 Mbit/s",
            Assert.Single(Judge(new History().For(600, requests: 10, bits: 50e6).For(30, requests: 10, bits: 800e6))).Summary);
    }

    [Fact]
    public void Flood_Passthrough_ConnectionsNotRequests()
    {
        var edge = new History().For(600, requests: 100).For(30, requests: 3000); // connections: a tenth of it
        var watch = new AttackWatch(new AttackOptions(), NginxMode.Passthrough);
        Assert.StartsWith("flood (connections 300/s, 30× baseline 10/s", Assert.Single(watch.Judge(Fleet(edge.At, Edge("edge-1", edge)))).Summary);
    }

    [Fact]
    public void Flood_LongFlood_DoesNotBecomeItsOwnBaseline()
    {
        var edge = new History().For(600, requests: 100).For(30, requests: 2000);
        var watch = new AttackWatch(new AttackOptions(), NginxMode.Tls);
        Assert.Single(watch.Judge(Fleet(edge.At, Edge("edge-1", edge))));
        edge.For(1200, requests: 2000); // more than half the history is the flood now
        Assert.Contains("20× baseline 100/s", Assert.Single(watch.Judge(Fleet(edge.At, Edge("edge-1", edge)))).Summary);
        edge.For(5, requests: 100);
        Assert.Empty(watch.Judge(Fleet(edge.At, Edge("edge-1", edge))));
    }

    [Fact]
    public void Disabled_NoVerdict() =>
        Assert.Empty(Judge(new History().For(600, requests: 100).For(60, requests: 5000), new AttackOptions { Enabled = false }));

    [Fact]
    public void Unreachable_DownEverywhere_TunnelFresh_SignalsReadable_ForUnreachableFor()
    {
        var watch = new AttackWatch(new AttackOptions(), NginxMode.Tls);
        var signals = new History().For(60, requests: 5);
        Assert.Empty(watch.Judge(Fleet(Start, Edge("edge-1", signals, "Down"))));
        Assert.Empty(watch.Judge(Fleet(Start.AddSeconds(19), Edge("edge-1", signals, "Down"))));
        var verdict = Assert.Single(watch.Judge(Fleet(Start.AddSeconds(20), Edge("edge-1", signals, "Down"))));
        Assert.Equal((AttackKind.Unreachable, "attack: unreachable from the world"), (verdict.Kind, verdict.Trigger));
        Assert.Contains("a null route or a saturated uplink", verdict.Text);

        Assert.Empty(watch.Judge(Fleet(Start.AddSeconds(25), Edge("edge-1", signals, "Up")))); // back: the count starts again
        Assert.Empty(watch.Judge(Fleet(Start.AddSeconds(30), Edge("edge-1", signals, "Down"))));
    }

    [Fact]
    public void Unreachable_OneNameserverDown_TheOtherSilent_IsNoMajority()
    {
        var watch = new AttackWatch(new AttackOptions(), NginxMode.Tls);
        var signals = new History().For(60, requests: 5);
        for (var s = 0; s <= 60; s += 10)
            Assert.Empty(watch.Judge(Fleet(Start.AddSeconds(s), Edge("edge-1", signals, "Down", ns2: EdgeOpinion.Unreachable))));
    }

    [Fact]
    public void Flood_Sources_TheBusiestThatKeptUpMinRate_BusiestFirst()
    {
        // 198.51.100.66 makes ~6,000 of each 5 s; .67 800 (160/s); a visitor 30 (6/s, under attack.tighten.minRate 10/s);
        // .68 only in the last point: 400 over the 30 s window is 13/s, above it.
        var edge = new History().For(600, requests: 100, sources: [("203.0.113.9", 40)])
            .For(25, requests: 1500, sources: [("198.51.100.66", 6000), ("198.51.100.67", 800), ("203.0.113.9", 30)])
            .For(5, requests: 1500, sources: [("198.51.100.66", 6000), ("198.51.100.68", 400), ("198.51.100.67", 800), ("203.0.113.9", 30)]);
        var verdict = Assert.Single(Judge(edge));
        Assert.Equal(["198.51.100.66", "198.51.100.67", "198.51.100.68"], verdict.Sources);
        Assert.EndsWith("; busiest sources 198.51.100.66 1200/s, 198.51.100.67 160/s, 198.51.100.68 13.3/s", verdict.Text);
        Assert.Equal(["198.51.100.66"], Assert.Single(Judge(edge, new AttackOptions { Tighten = { MinRate = 500 } })).Sources);
    }

    [Fact]
    public void Unreachable_DeadEdge_IsNoAttack()
    {
        var watch = new AttackWatch(new AttackOptions(), NginxMode.Tls);
        var signals = new History().For(60, requests: 5);
        for (var s = 0; s <= 60; s += 10)
        {
            Assert.Empty(watch.Judge(Fleet(Start.AddSeconds(s), Edge("edge-1", signals, "Down", stale: true))));
            Assert.Empty(watch.Judge(Fleet(Start.AddSeconds(s), Edge("edge-2", null, "Down"))));
        }
    }

    [Fact]
    public void Spare_AnotherServingEdgeUpEverywhere()
    {
        var quiet = new History().For(60, 5);
        Assert.True(AttackWatch.Spare(Fleet(Start, Edge("edge-1", quiet), Edge("edge-2", quiet)), "edge-1", []));
        Assert.False(AttackWatch.Spare(Fleet(Start, Edge("edge-1", quiet), Edge("edge-2", quiet, "Down")), "edge-1", []));
        Assert.False(AttackWatch.Spare(Fleet(Start, Edge("edge-1", quiet), Edge("edge-2", quiet, role: "Joining")), "edge-1", []));
        var attacked = new AttackVerdict("edge-2", AttackKind.Flood, "flood", "", Start);
        Assert.False(AttackWatch.Spare(Fleet(Start, Edge("edge-1", quiet), Edge("edge-2", quiet)), "edge-1", [attacked]));
    }

    [Fact]
    public void Options_Problems_NameTheKey()
    {
        var options = new AttackOptions { Factor = 1, Sustain = TimeSpan.FromSeconds(1), UnreachableFor = TimeSpan.FromSeconds(-1) };
        options.Floor.SynRecv = 0;
        options.Policy.Flood = (AttackAction)7;
        options.Policy.Unreachable = AttackAction.Tighten;
        options.Tighten.BanFor = TimeSpan.FromSeconds(5);
        options.Tighten.Countries.Add("China");
        Assert.Equal(["attack.factor", "attack.sustain", "attack.unreachableFor", "attack.floor.synRecv", "attack.tighten.banFor", "attack.tighten.countries", "attack.policy.flood", "attack.policy.unreachable"],
            options.Problems().Select(p => p[..p.IndexOf(':')]));
        Assert.Empty(new AttackOptions().Problems());
    }
}
