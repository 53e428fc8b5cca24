using GeoDns.Sidecar.Daemon;
using GeoDns.Sidecar.WireGuard;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The tunnel check of <c>run</c>: WireGuard's latest handshakes in, "tunnel down" reports to every nameserver
/// out. The handshakes come from a file the test writes (the command is <c>cat</c> of it), the clock is fake.
/// </summary>
public sealed class TunnelWatchTests : IDisposable
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(180);

    private readonly FakeSidecar _sidecar;
    private readonly TunnelWatch _watch;

    public TunnelWatchTests()
    {
        _sidecar = FakeSidecar.Create();
        _watch = new TunnelWatch(_sidecar.Session, NullLogger.Instance);
        Assert.True(_sidecar.Session.Inventory.Complete(_sidecar.Session.Tunnel, KeyPair.GenerateWithNSec).Ok); // keys and tunnel addresses, as `keys` gives them
    }

    public void Dispose() => _sidecar.Dispose();

    private string Key(string edge) => _sidecar.Session.Inventory.All().Single(e => e.Name == edge).Keys!.PublicKey;

    /// <summary>Writes what `wg show wg0 latest-handshakes` would print: handshakes this many seconds ago (null: never).</summary>
    private void Handshakes(double? edge1, double? edge2)
    {
        var now = _sidecar.Time.GetUtcNow().ToUnixTimeSeconds();
        long Stamp(double? ago) => ago is { } a ? now - (long)a : 0;
        File.WriteAllText(_sidecar.Scratch["handshakes"], $"{Key("edge-1")}\t{Stamp(edge1)}\n{Key("edge-2")}\t{Stamp(edge2)}\n");
        _sidecar.Options.TunnelCheck.Command = $"cat '{_sidecar.Scratch["handshakes"]}'";
    }

    [Fact]
    public async Task StaleTunnel_ReportedDownEverywhere_RenewedEachPoll_ClearedOnceFresh()
    {
        Handshakes(edge1: 10, edge2: 200);
        await _watch.CheckAsync(default);

        Assert.Equal("down: WireGuard: latest handshake 200 s ago (stale after 180 s) (hold 60 s)", _sidecar.Ns1.Tunnels["edge-2"]);
        Assert.Equal(_sidecar.Ns1.Tunnels["edge-2"], _sidecar.Ns2.Tunnels["edge-2"]);
        Assert.False(_sidecar.Ns1.Tunnels.ContainsKey("edge-1")); // a fresh tunnel is never reported
        Assert.Equal((false, "WireGuard: latest handshake 10 s ago (stale after 180 s)"), (_watch.Last["edge-1"].Stale, _watch.Last["edge-1"].Reason));

        _sidecar.Time.Advance(TimeSpan.FromSeconds(5));
        await _watch.CheckAsync(default);
        Assert.Equal(2, _sidecar.Ns1.Requests.Count(r => r == "PUT /v1/edges/edge-2/tunnel")); // renewed: it holds 60 s on the nameserver

        Handshakes(edge1: 10, edge2: 3);
        await _watch.CheckAsync(default);
        Assert.Equal(("up", "up"), (_sidecar.Ns1.Tunnels["edge-2"], _sidecar.Ns2.Tunnels["edge-2"]));
        await _watch.CheckAsync(default);
        Assert.Equal(3, _sidecar.Ns1.Requests.Count(r => r == "PUT /v1/edges/edge-2/tunnel")); // cleared once, then quiet
    }

    [Fact]
    public async Task NeverHandshook_GivenStaleAfterFromWhenFirstSeen_ThenReported()
    {
        Handshakes(edge1: null, edge2: 1);
        await _watch.CheckAsync(default);
        Assert.Empty(_sidecar.Ns1.Tunnels); // the interface may just have come up

        _sidecar.Time.Advance(StaleAfter + TimeSpan.FromSeconds(1));
        Handshakes(edge1: null, edge2: 1);
        await _watch.CheckAsync(default);

        Assert.Equal("down: WireGuard: no handshake in the 181 s watched (stale after 180 s) (hold 60 s)", _sidecar.Ns1.Tunnels["edge-1"]);
    }

    [Fact]
    public async Task CommandFails_NothingReported()
    {
        Handshakes(edge1: 500, edge2: 500);
        _sidecar.Options.TunnelCheck.Command = "echo 'Unable to access interface: No such device' >&2; exit 1";

        await _watch.CheckAsync(default);

        Assert.Empty(_sidecar.Ns1.Requests);
    }

    [Fact]
    public async Task NameserverDown_OthersStillTold_ClearRetriedUntilTaken()
    {
        Handshakes(edge1: 1, edge2: 400);
        _sidecar.Ns2.FailNext(System.Net.HttpStatusCode.ServiceUnavailable);
        await _watch.CheckAsync(default);
        Assert.True(_sidecar.Ns1.Tunnels.ContainsKey("edge-2"));
        Assert.False(_sidecar.Ns2.Tunnels.ContainsKey("edge-2")); // one attempt: the next poll renews anyway

        Handshakes(edge1: 1, edge2: 1);
        _sidecar.Ns2.FailNext(System.Net.HttpStatusCode.ServiceUnavailable);
        await _watch.CheckAsync(default);
        await _watch.CheckAsync(default);
        Assert.Equal(("up", "up"), (_sidecar.Ns1.Tunnels["edge-2"], _sidecar.Ns2.Tunnels["edge-2"]));
    }

    [Theory]
    [InlineData(null, 0, 100, false)]
    [InlineData(null, 0, 181, true)]
    [InlineData(179.0, 0, 500, false)]
    [InlineData(181.0, 0, 500, true)]
    [InlineData(-5.0, 0, 500, false)] // a handshake "in the future" (clock skew) is fresh
    public void Judge_StaleAfterTheLimit_NeverCountsFromFirstSeen(double? handshakeAgo, double watchedAt, double now, bool stale)
    {
        var epoch = DateTimeOffset.UnixEpoch.AddDays(20000);
        var at = epoch.AddSeconds(now);
        var verdict = TunnelState.Judge(handshakeAgo is { } ago ? at.AddSeconds(-ago) : null, epoch.AddSeconds(watchedAt), at, StaleAfter);

        Assert.Equal(stale, verdict.Stale);
    }

    [Fact]
    public void LatestHandshakes_ReadsWgOutput_ZeroIsNever_JunkSkipped()
    {
        // Captured from `wg show IFACE latest-handshakes` (wireguard-tools, wireguard-go): one peer handshook, one never; plus junk.
        const string output = "tSBYwNbqyIfUcXCAFOhLQ9xjZs+bfMcHFGVTEe9NLAA=\t1796141337\nn94aK9cfTRDAkVWPZ6QVH/x84Lb/SWrLEuQfHnKm+yY=\t0\nnot a peer line\n";

        var peers = LatestHandshakes.Parse(output);

        Assert.Equal(2, peers.Count);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796141337), peers["tSBYwNbqyIfUcXCAFOhLQ9xjZs+bfMcHFGVTEe9NLAA="]);
        Assert.Null(peers["n94aK9cfTRDAkVWPZ6QVH/x84Lb/SWrLEuQfHnKm+yY="]);
    }
}

/// <summary>The tunnel check on real WireGuard tunnels and real `wg show` output (<see cref="TunnelLab"/>).</summary>
public sealed class RealTunnelTests
{
    [SkippableFact]
    public async Task LiveTunnelFresh_DeadOneReported_ClearedOnceItsEdgeAnswers()
    {
        Skip.IfNot(TunnelLab.Available(out var why), why);
        using var sidecar = FakeSidecar.Create();
        Assert.True(sidecar.Session.Inventory.Complete(sidecar.Session.Tunnel, KeyPair.GenerateWithNSec).Ok);
        var keys = sidecar.Session.Inventory.All().ToDictionary(e => e.Name, e => e.Keys!);
        using var lab = new TunnelLab(sidecar.Scratch);
        lab.StartEdge("e", keys["edge-1"], 51820, "192.0.2.2");
        lab.AddPeer(keys["edge-1"].PublicKey, 51820, "192.0.2.2");
        lab.AddPeer(keys["edge-2"].PublicKey, 51821, "192.0.2.3"); // nothing listens there yet
        lab.Poke("192.0.2.2");
        await FakeSidecar.Until(() => LatestHandshakes.Parse(lab.Show()).GetValueOrDefault(keys["edge-1"].PublicKey) is not null, "edge-1's tunnel handshakes");

        sidecar.Options.TunnelCheck.Command = lab.ShowCommand;
        var watch = new TunnelWatch(sidecar.Session, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        // The sidecar first saw edge-2 200 s ago (by its clock), and it never handshook since.
        sidecar.Time.SetUtcNow(DateTimeOffset.UtcNow - TimeSpan.FromSeconds(200));
        await watch.CheckAsync(default);
        Assert.Empty(sidecar.Ns1.Tunnels);
        sidecar.Time.SetUtcNow(DateTimeOffset.UtcNow);
        await watch.CheckAsync(default);

        Assert.False(watch.Last["edge-1"].Stale, watch.Last["edge-1"].Reason);
        Assert.Matches("^WireGuard: latest handshake [0-9]+ s ago", watch.Last["edge-1"].Reason);
        Assert.Matches("^down: WireGuard: no handshake in the 2[0-9][0-9] s watched", sidecar.Ns1.Tunnels["edge-2"]);
        Assert.Equal(sidecar.Ns1.Tunnels["edge-2"], sidecar.Ns2.Tunnels["edge-2"]);
        Assert.False(sidecar.Ns1.Tunnels.ContainsKey("edge-1"));

        // edge-2's WireGuard comes up: WireGuard retries the handshake, and the next check clears the report.
        lab.StartEdge("d", keys["edge-2"], 51821, "192.0.2.3");
        lab.Poke("192.0.2.3");
        await FakeSidecar.Until(() => LatestHandshakes.Parse(lab.Show()).GetValueOrDefault(keys["edge-2"].PublicKey) is not null, "edge-2's tunnel handshakes", timeoutMs: 20_000);
        sidecar.Time.SetUtcNow(DateTimeOffset.UtcNow);
        await watch.CheckAsync(default);

        Assert.Equal(("up", "up"), (sidecar.Ns1.Tunnels["edge-2"], sidecar.Ns2.Tunnels["edge-2"]));
    }
}

/// <summary>The sidecar's tunnel reports against a real GeoDns server: the edge leaves its DNS answers, and comes back.</summary>
public sealed class TunnelReportEndToEndTests
{
    [Fact]
    public async Task StaleTunnel_EdgeLeavesTheRealAnswers_FreshAgain_Back()
    {
        var prefix = $"127.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(1, 250)}.";
        var first = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Parse(prefix + "11"), 0);
        first.Start();
        var port = ((System.Net.IPEndPoint)first.LocalEndpoint).Port;
        var second = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Parse(prefix + "12"), port);
        second.Start();
        using var scratch = new Scratch();
        try
        {
            await using var ns = await Nameserver.StartAsync(port, ("edge-1", prefix + "11"), ("edge-2", prefix + "12"));
            var options = new SidecarOptions
            {
                Nameservers = [ns.AdminUri.ToString()],
                AdminToken = Nameserver.AdminToken,
                Pool = "app.example.com",
                WireguardDir = scratch["wg"],
                Data = scratch["data"],
                Edges = [new EdgeHost { Name = "edge-1", Ipv4 = prefix + "11" }, new EdgeHost { Name = "edge-2", Ipv4 = prefix + "12" }],
            };
            var opened = SidecarSession.Open(options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
            Assert.True(opened.Ok, opened.Error);
            using var session = opened.Value!;
            session.GenerateKeys = KeyPair.GenerateWithNSec;
            Assert.True(session.Inventory.Complete(session.Tunnel, session.GenerateKeys).Ok);
            var key = session.Inventory.All().Single(e => e.Name == "edge-2").Keys!.PublicKey;
            var watch = new TunnelWatch(session, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            string Handshake(TimeSpan ago) => $"printf '%s\\t%s\\n' '{key}' {DateTimeOffset.UtcNow.Subtract(ago).ToUnixTimeSeconds()}";
            await FakeSidecar.Until(() => ns.Addresses().Length == 2, "both edges answered");

            options.TunnelCheck.Command = Handshake(TimeSpan.FromMinutes(5));
            await watch.CheckAsync(default);
            Assert.Equal([prefix + "11"], ns.Addresses()); // the nameserver's probes still see edge-2 Up

            options.TunnelCheck.Command = Handshake(TimeSpan.FromSeconds(3));
            await watch.CheckAsync(default);
            Assert.Equal([prefix + "11", prefix + "12"], ns.Addresses());
        }
        finally
        {
            first.Stop();
            second.Stop();
        }
    }
}
