using System.Text.Json;
using System.Text.Json.Nodes;
using GeoDns.Sidecar.Signals;
using GeoDns.Sidecar.State;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;
using Microsoft.Extensions.Logging;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// Each edge's signals history in the state file (<see cref="SignalsStore"/>), through a real LiteDB file in a temporary
/// directory, closed and opened again between saving and loading as a restarted sidecar does.
/// </summary>
public sealed class SignalsStoreTests : IDisposable
{
    private static readonly TimeSpan History = TimeSpan.FromMinutes(30);
    private static readonly string[] Live = ["edge-1", "edge-2"];

    private readonly Scratch _scratch = new();
    private readonly Warnings _log = new();
    private StateFile _state;

    public SignalsStoreTests() => _state = Open();

    public void Dispose()
    {
        _state.Dispose();
        _scratch.Dispose();
    }

    [Fact]
    public void Track_RoundTrips_LastSampleArrivalAndPoints()
    {
        var edge = new FakeEdgeSignals { Sources = [("198.51.100.66", 1200), ("203.0.113.9", 40)] };
        var track = new EdgeSignalsTrack(History);
        Feed(track, edge, 3, requests: 40);
        edge.Run = "run-2"; // the script restarted: its response counts began again, so those rates are unknown
        edge.Sources = null;
        Feed(track, edge, 2, requests: 40);
        var store = Store();
        Assert.True(store.Save("edge-1", track).Ok);

        Reopen();
        var restored = Store().Load(Live)["edge-1"];
        Assert.Equal(Json(track.Last), Json(restored.Last));
        Assert.Contains("\"429\":0", Json(restored.Last)); // the status classes keep the edge's own names
        Assert.Equal(track.ChangedAt, restored.ChangedAt);
        Assert.Equal(Json(track.Points), Json(restored.Points));
        Assert.Equal(4, restored.Points.Count);
        Assert.Equal((40.0, null), (restored.Points[2].RequestsPerSecond, restored.Points[2].RejectedPerSecond));
        Assert.Equal(["198.51.100.66", "203.0.113.9"], restored.Points[0].Sources!.Select(s => s.Address));
        Assert.Null(restored.Points[3].Sources);
        Assert.Equal(Json(track.Latest), Json(restored.Latest));
        Assert.Empty(_log.Lines);
    }

    [Fact]
    public void Restore_DropsPointsOlderThanTheHistory()
    {
        var track = new EdgeSignalsTrack(History);
        Feed(track, new FakeEdgeSignals(), 121, requests: 20); // 10 min
        Assert.True(Store().Save("edge-1", track).Ok);

        Reopen();
        var restored = new SignalsStore(_state, TimeSpan.FromMinutes(2), _log).Load(Live)["edge-1"];
        Assert.Equal(25, restored.Points.Count); // 2 min back from the last sample, both ends in, as Add keeps them
        Assert.Equal(restored.Last!.Time - TimeSpan.FromMinutes(2), restored.Points[0].At);
        Assert.Equal(Json(track.Points.TakeLast(25)), Json(restored.Points));
    }

    [Fact]
    public void Saves_AddOnlyTheNewPoints_AndDeleteThoseThatLeftTheHistory()
    {
        var history = TimeSpan.FromMinutes(2);
        var (edge, track, store) = (new FakeEdgeSignals(), new EdgeSignalsTrack(history), new SignalsStore(_state, history, _log));
        Feed(track, edge, 12, requests: 20); // 0-55 s: 11 points
        Assert.True(store.Save("edge-1", track).Ok);
        Feed(track, edge, 12, requests: 20); // 60-115 s
        Assert.True(store.Save("edge-1", track).Ok);
        Assert.Equal([("edge-1/0000000001", 11), ("edge-1/0000000002", 12)], Parts());

        Feed(track, edge, 24, requests: 20); // 120-235 s: the first part's points are all more than 2 min old
        Assert.True(store.Save("edge-1", track).Ok);
        Assert.Equal([("edge-1/0000000002", 12), ("edge-1/0000000003", 24)], Parts());

        Reopen();
        Assert.Equal(Json(track.Points), Json(new SignalsStore(_state, history, _log).Load(Live)["edge-1"].Points));
    }

    [Fact]
    public void UnreadableStoredHistory_Dropped_OneWarning_TheOtherEdgesKept()
    {
        var (one, two, store) = (new EdgeSignalsTrack(History), new EdgeSignalsTrack(History), Store());
        Feed(one, new FakeEdgeSignals(), 3, requests: 20);
        Feed(two, new FakeEdgeSignals(), 3, requests: 30);
        Assert.True(store.Save("edge-1", one).Ok);
        Assert.True(store.Save("edge-1", one).Ok);
        Assert.True(store.Save("edge-2", two).Ok);
        // An older sidecar's shape, and a document cut short.
        _state.Put("signals", "edge-1/0000000001", new { version = 2, samples = Array.Empty<int>() });
        var path = _state.Path;
        _state.Dispose();
        using (var db = new LiteDatabase($"Filename={path};Connection=direct"))
            db.GetCollection("signals").Upsert(new BsonDocument { ["_id"] = "edge-1/0000000002", ["json"] = """{"last":{"version":1,"run":""" });
        _state = Open();

        var tracks = Store().Load(Live);
        Assert.Equal(["edge-2"], tracks.Keys);
        Assert.Equal(Json(two.Points), Json(tracks["edge-2"].Points));
        var warning = Assert.Single(_log.Lines);
        Assert.StartsWith("Stored signals history of edge-1 unreadable (not a signals history): dropped, the edge's history starts again", warning);

        Reopen();
        Assert.Equal(["edge-2"], Store().Load(Live).Keys); // deleted: said once, not at every start
        Assert.Single(_log.Lines);
    }

    [Fact]
    public void EdgeNoLongerLive_ItsStoredHistoryDeleted()
    {
        var (one, two, store) = (new EdgeSignalsTrack(History), new EdgeSignalsTrack(History), Store());
        Feed(one, new FakeEdgeSignals(), 3, requests: 20);
        Feed(two, new FakeEdgeSignals(), 3, requests: 30);
        Assert.True(store.Save("edge-1", one).Ok);
        Assert.True(store.Save("edge-2", two).Ok);

        Reopen();
        Assert.Equal(["edge-2"], Store().Load(["edge-2"]).Keys);
        Assert.Equal([("edge-2/0000000001", 2)], Parts());
        Assert.Empty(_log.Lines);
    }

    /// <summary><paramref name="reads"/> of <paramref name="edge"/> 5 s apart, the first of its current sample.</summary>
    private static void Feed(EdgeSignalsTrack track, FakeEdgeSignals edge, int reads, double requests)
    {
        for (var i = 0; i < reads; i++)
        {
            if (track.Last is not null) edge.Advance(5, requests: requests);
            track.Add(edge.Sample(), DateTimeOffset.FromUnixTimeSeconds((long)edge.At).AddSeconds(1));
        }
    }

    /// <summary>The stored parts: each id with its number of points.</summary>
    private List<(string Id, int Points)> Parts() =>
        [.. _state.Read<JsonObject>("signals").Select(r => (Id: r.Id.AsString, Points: r.Value.Value!["points"]!.AsArray().Count)).OrderBy(p => p.Id, StringComparer.Ordinal)];

    private SignalsStore Store() => new(_state, History, _log);

    private StateFile Open()
    {
        var opened = StateFile.Open(_scratch.Path);
        Assert.True(opened.Ok, opened.Error);
        return opened.Value!;
    }

    private void Reopen()
    {
        _state.Dispose();
        _state = Open();
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    /// <summary>What is logged at Warning and above.</summary>
    private sealed class Warnings : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) Lines.Add(formatter(state, exception));
        }
    }
}
