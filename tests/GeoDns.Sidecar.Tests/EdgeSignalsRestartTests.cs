using System.Text.Json.Nodes;
using GeoDns.Sidecar.Daemon;
using GeoDns.Sidecar.Signals;
using GeoDns.Sidecar.State;
using GeoDns.Sidecar.WireGuard;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// A restarted sidecar has each edge's signals history at once (<see cref="EdgeSignalsWatch"/> over the state file): a
/// flood just after the restart is judged against the edge's own baseline, the panel's sparklines go on where they
/// were, and the first point after the restart spans the time away. A crash loses at most the minute since the last save.
/// </summary>
public sealed class EdgeSignalsRestartTests : IDisposable
{
    private readonly FakeSidecar _sidecar = FakeSidecar.Create();
    private readonly FakeEdgeSignals _edge1 = new();

    public EdgeSignalsRestartTests()
    {
        Assert.True(_sidecar.Session.Inventory.Complete(_sidecar.Session.Tunnel, KeyPair.GenerateWithNSec).Ok);
        _sidecar.Network.Edges[$"{_sidecar.Session.Inventory.Find("edge-1")!.Tunnel}:{SignalsOptions.DefaultPort}"] = _edge1;
    }

    public void Dispose() => _sidecar.Dispose();

    [Fact]
    public async Task Restarted_HistoryThereAtOnce_AFloodJudgedAgainstTheBaseline_TheSparklinesKeepTheirPoints()
    {
        var watch = new EdgeSignalsWatch(_sidecar.Session, NullLogger.Instance);
        await watch.ReadAsync(default);
        await ReadAsync(watch, 24, requests: 20); // 2 min of a calm edge
        watch.Save(); // as run does when it stops
        _sidecar.Restart();
        _edge1.Advance(60, requests: 20); // a minute away: the edge went on
        _sidecar.Time.Advance(TimeSpan.FromSeconds(60));

        var restarted = new EdgeSignalsWatch(_sidecar.Session, NullLogger.Instance);
        await restarted.ReadAsync(default);
        var signals = restarted.Last["edge-1"];
        Assert.Equal(25, signals.History.Count); // the 24 points from before, and one across the minute away
        Assert.Equal((60.0, 20.0), (signals.Latest!.Seconds, signals.Latest.RequestsPerSecond));
        var sparkline = FleetSignals.Of(signals, _sidecar.Options.Signals, _sidecar.Time.GetUtcNow()).History.RequestsPerSecond;
        Assert.Equal([.. Enumerable.Repeat<double?>(null, 54), 20, 20, 20, 20, null, 20], sparkline); // 30 s steps

        await ReadAsync(restarted, 6, requests: 1500);
        var fleet = await new FleetWatch(_sidecar.Session).LookAsync(new Dictionary<string, TunnelState>(), restarted.Last, default);
        var verdict = Assert.Single(new AttackWatch(_sidecar.Options.Attack, _sidecar.Options.Nginx.Mode).Judge(fleet));
        Assert.Equal("flood (requests 1500/s, 75× baseline 20/s, for 30 s)", verdict.Summary);
    }

    [Fact]
    public async Task Crashed_LosesAtMostTheMinuteSinceTheLastSave_TheGapIsSpanned()
    {
        var watch = new EdgeSignalsWatch(_sidecar.Session, NullLogger.Instance);
        await watch.ReadAsync(default);
        await ReadAsync(watch, 30, requests: 20); // 150 s: saved at 60 s and 120 s, then no stop
        _sidecar.Restart();

        var restarted = new EdgeSignalsWatch(_sidecar.Session, NullLogger.Instance);
        await restarted.ReadAsync(default);
        var history = restarted.Last["edge-1"].History;
        Assert.Equal(25, history.Count); // 24 points to the save at 120 s, then one of the 30 s since
        Assert.Equal((30.0, 20.0), (history[^1].Seconds, history[^1].RequestsPerSecond));
    }

    [Fact]
    public async Task EdgeLeaves_ItsStoredHistoryDeletedToo()
    {
        var watch = new EdgeSignalsWatch(_sidecar.Session, NullLogger.Instance);
        await watch.ReadAsync(default);
        await ReadAsync(watch, 12, requests: 20);
        Assert.Contains(Stored(), id => id.StartsWith("edge-1/", StringComparison.Ordinal));

        _sidecar.Session.Inventory.Change("edge-1", EdgeRole.Retired);
        await watch.ReadAsync(default);
        Assert.DoesNotContain(Stored(), id => id.StartsWith("edge-1/", StringComparison.Ordinal));
    }

    /// <summary><paramref name="looks"/> polls 5 s apart, the edge's counters moving at <paramref name="requests"/> a second.</summary>
    private async Task ReadAsync(EdgeSignalsWatch watch, int looks, double requests)
    {
        for (var i = 0; i < looks; i++)
        {
            _edge1.Advance(5, requests: requests);
            _sidecar.Time.Advance(TimeSpan.FromSeconds(5));
            await watch.ReadAsync(default);
        }
    }

    private List<string> Stored() => [.. _sidecar.Session.State.Read<JsonObject>("signals").Select(r => r.Id.AsString)];
}
