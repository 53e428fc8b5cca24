using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using GeoDns.Sidecar.Daemon;
using GeoDns.Sidecar.Signals;
using GeoDns.Sidecar.WireGuard;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The home's side of the edge signals: documents as the edge writes them (<see cref="FakeEdgeSignals"/>) into rates
/// and history (<see cref="EdgeSignalsTrack"/>), read each poll through the tunnel (<see cref="EdgeSignalsWatch"/>),
/// and out again as the fleet panel's document and as metrics; an edge that cannot be read is said to be so.
/// </summary>
public sealed class EdgeSignalsWatchTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly FakeSidecar _sidecar = FakeSidecar.Create();
    private readonly FakeEdgeSignals _edge1 = new();

    public EdgeSignalsWatchTests()
    {
        Assert.True(_sidecar.Session.Inventory.Complete(_sidecar.Session.Tunnel, KeyPair.GenerateWithNSec).Ok);
        _sidecar.Network.Edges[$"{Tunnel("edge-1")}:{SignalsOptions.DefaultPort}"] = _edge1; // edge-2 has none: its connection is refused
    }

    public void Dispose() => _sidecar.Dispose();

    private string Tunnel(string edge) => _sidecar.Session.Inventory.Find(edge)!.Tunnel!;

    private static EdgeSignalsSample Sample(FakeEdgeSignals edge) => edge.Sample();

    [Fact]
    public void Track_RatesBetweenSamples_TheSameSampleTwiceAddsNothing_AMissedReadSpansTheGap()
    {
        var edge = new FakeEdgeSignals();
        var track = new EdgeSignalsTrack(TimeSpan.FromMinutes(30));
        var now = DateTimeOffset.UnixEpoch;
        Assert.True(track.Add(Sample(edge), now));
        Assert.Null(track.Latest); // one sample: no interval yet

        edge.Advance(5, requests: 200, rejected: 150, serverErrors: 10, receivedBits: 8_000_000, sentBits: 2_000_000);
        Assert.True(track.Add(Sample(edge), now.AddSeconds(5)));
        Assert.False(track.Add(Sample(edge), now.AddSeconds(6)));
        var point = track.Latest!;
        Assert.Equal((5.0, 200.0, 150.0, 10.0, 8_000_000.0, 2_000_000.0), (point.Seconds, point.RequestsPerSecond, point.RejectedPerSecond, point.ServerErrorsPerSecond, point.ReceivedBitsPerSecond, point.SentBitsPerSecond));
        Assert.Equal((4L, 0L), (point.Connections, point.SynRecv));

        edge.Advance(15, requests: 40); // three of the edge's samples, read once
        Assert.True(track.Add(Sample(edge), now.AddSeconds(20)));
        Assert.Equal((15.0, 40.0), (track.Latest!.Seconds, track.Latest.RequestsPerSecond));
        Assert.Equal(2, track.Points.Count);
    }

    [Fact]
    public void Track_CountersStartedAgain_ThoseRatesUnknownNotZero()
    {
        var edge = new FakeEdgeSignals();
        var track = new EdgeSignalsTrack(TimeSpan.FromMinutes(30));
        track.Add(Sample(edge), DateTimeOffset.UnixEpoch);
        edge.Advance(5, requests: 100, rejected: 20);
        edge.Run = "run-2"; // the script restarted: its response counts began again
        edge.Requests = 3; // and nginx restarted
        track.Add(Sample(edge), DateTimeOffset.UnixEpoch.AddSeconds(5));

        var point = track.Latest!;
        Assert.Null(point.RequestsPerSecond);
        Assert.Null(point.RejectedPerSecond);
        Assert.NotNull(point.ReceivedBitsPerSecond); // the kernel's counters went on
    }

    [Fact]
    public void Track_KeepsHistoryBackFromTheLatest()
    {
        var edge = new FakeEdgeSignals();
        var track = new EdgeSignalsTrack(TimeSpan.FromMinutes(1));
        for (var i = 0; i <= 30; i++)
        {
            track.Add(Sample(edge), DateTimeOffset.UnixEpoch.AddSeconds(5 * i));
            edge.Advance(5, requests: i);
        }
        Assert.Equal(13, track.Points.Count); // 60 s back from the latest, both ends in
        Assert.Equal(29.0, track.Latest!.RequestsPerSecond); // the last advance before the last sample
    }

    [Fact]
    public async Task Watch_ReadsEachEdgeThroughItsTunnel_RatesToDocumentAndMetrics_UnreadableIsSaid()
    {
        var watch = new EdgeSignalsWatch(_sidecar.Session, NullLogger.Instance);
        await watch.ReadAsync(default);
        _edge1.Advance(5, requests: 300, rejected: 250, serverErrors: 5, receivedBits: 80_000_000, sentBits: 4_000_000);
        _edge1.SynRecv = 7;
        _edge1.Sources = [("198.51.100.66", 1200), ("203.0.113.9", 40)];
        _sidecar.Time.Advance(TimeSpan.FromSeconds(5));
        await watch.ReadAsync(default);

        var fleet = await new FleetWatch(_sidecar.Session).LookAsync(new Dictionary<string, TunnelState>(), watch.Last, default);
        var document = JsonSerializer.SerializeToElement(FleetDocument.Of(fleet, [], [], _sidecar.Options), Json);
        var edges = document.GetProperty("edges").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("signals"));
        var one = edges["edge-1"];
        Assert.Equal(["readable", "error", "at", "ageSeconds", "http", "interface", "latest", "history"], Names(one));
        Assert.True(one.GetProperty("readable").GetBoolean());
        Assert.Equal("""{"at":"2026-03-01T12:00:05+00:00","seconds":5,"requestsPerSecond":300,"connectionsPerSecond":30,"rejectedPerSecond":250,"serverErrorsPerSecond":5,"receivedBitsPerSecond":80000000,"sentBitsPerSecond":4000000,"receivedPacketsPerSecond":10000,"sentPacketsPerSecond":500,"listenDropsPerSecond":0,"syncookiesPerSecond":0,"connections":4,"synRecv":7,"sources":[{"address":"198.51.100.66","count":1200},{"address":"203.0.113.9","count":40}]}""",
            one.GetProperty("latest").GetRawText());
        var history = one.GetProperty("history");
        Assert.Equal((30, 60), (history.GetProperty("stepSeconds").GetInt32(), history.GetProperty("points").GetInt32()));
        var rejected = history.GetProperty("rejectedPerSecond").EnumerateArray().ToList();
        Assert.Equal(60, rejected.Count);
        Assert.Equal(250, rejected[^1].GetDouble());
        Assert.Equal(JsonValueKind.Null, rejected[0].ValueKind); // nothing read then: not 0
        Assert.Equal(7, history.GetProperty("synRecv")[59].GetDouble());

        var two = edges["edge-2"];
        Assert.False(two.GetProperty("readable").GetBoolean());
        Assert.Equal(JsonValueKind.Null, two.GetProperty("latest").ValueKind);
        Assert.Equal($"http://{Tunnel("edge-2")}:8055/signals.json: connection refused: {Tunnel("edge-2")}:8055", two.GetProperty("error").GetString());

        var metrics = PrometheusText.Parse(SidecarMetrics.Write(_sidecar.Session, fleet, 0, new State.StateAlertLog(_sidecar.Session.State)));
        Assert.Empty(metrics.Errors);
        Assert.Equal((1.0, 0.0), (metrics.Value("geodns_sidecar_edge_signals_up", ("edge", "edge-1")), metrics.Value("geodns_sidecar_edge_signals_up", ("edge", "edge-2"))));
        Assert.Equal("counter", metrics.Families["geodns_sidecar_edge_http_responses_total"]);
        Assert.Equal(1250, metrics.Value("geodns_sidecar_edge_http_responses_total", ("edge", "edge-1"), ("code", "429")));
        Assert.Equal(6500, metrics.Value("geodns_sidecar_edge_http_requests_total", ("edge", "edge-1")));
        Assert.Equal(7, metrics.Value("geodns_sidecar_edge_tcp_syn_recv", ("edge", "edge-1")));
        Assert.Equal(1_000_000 + 50_000_000, metrics.Value("geodns_sidecar_edge_network_received_bytes_total", ("edge", "edge-1")));
        // An edge that cannot be read has no figures at all: its last ones would draw a flat line. Its attack verdicts
        // (one per kind) are judged all the same.
        Assert.Equal(["geodns_sidecar_edge_attack", "geodns_sidecar_edge_attack", "geodns_sidecar_edge_disagreeing_seconds", "geodns_sidecar_edge_down", "geodns_sidecar_edge_role", "geodns_sidecar_edge_signals_up"],
            metrics.Samples.Where(m => m.Labels.GetValueOrDefault("edge") == "edge-2").Select(m => m.Family).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Watch_SamplesStopChanging_UnreadableAfterThreeIntervals()
    {
        var watch = new EdgeSignalsWatch(_sidecar.Session, NullLogger.Instance);
        await watch.ReadAsync(default);
        Assert.True(watch.Last["edge-1"].Readable);

        _sidecar.Time.Advance(TimeSpan.FromSeconds(15)); // three times the 5 s interval, and still the same sample
        await watch.ReadAsync(default);
        Assert.True(watch.Last["edge-1"].Readable);
        _sidecar.Time.Advance(TimeSpan.FromSeconds(1));
        await watch.ReadAsync(default);
        Assert.Equal("unchanged for 16 s: geodns-edge-signals on the edge is not writing", watch.Last["edge-1"].Error);

        _edge1.Advance(5, requests: 10);
        await watch.ReadAsync(default);
        Assert.True(watch.Last["edge-1"].Readable);
        Assert.Equal(10.0, watch.Last["edge-1"].Latest!.RequestsPerSecond);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "404, no signals yet (is geodns-edge-signals running on the edge?)")]
    [InlineData(HttpStatusCode.Forbidden, "403, the edge's nginx does not let the home's tunnel address in")]
    [InlineData(HttpStatusCode.BadGateway, "HTTP 502")]
    public async Task Reader_RefusedOrMissing_SaysWhatToLookAt(HttpStatusCode status, string error)
    {
        _edge1.Status = status;
        var read = await new EdgeSignalsReader(_sidecar.Session.Http, SignalsOptions.DefaultPort, _sidecar.Time).ReadAsync(Tunnel("edge-1"), default);
        Assert.Equal($"http://{Tunnel("edge-1")}:8055/signals.json: {error}", read.Error);
    }

    [Fact]
    public async Task Reader_NoAnswer_GivesUpAfterItsTimeout()
    {
        var silent = new Silent();
        using var http = new HttpClient(silent);
        var reading = new EdgeSignalsReader(http, 8055, _sidecar.Time).ReadAsync("10.77.0.10", default);
        await FakeSidecar.Until(() => silent.Waiting > 0, "the request is sent");
        _sidecar.Time.Advance(EdgeSignalsReader.Timeout);
        Assert.Equal("http://10.77.0.10:8055/signals.json: no answer within 2 s", (await reading.WaitAsync(TimeSpan.FromSeconds(10))).Error);
    }

    [Fact]
    public void Sample_OfAnotherVersion_Refused() =>
        Assert.Equal("signals version 2, this sidecar reads 1", EdgeSignalsSample.Parse("""{"version":2,"run":"r","at":1,"tcp":{}}""").Error);

    /// <summary>A tunnel that carries the request and never an answer.</summary>
    private sealed class Silent : HttpMessageHandler
    {
        private int _waiting;

        public int Waiting => Volatile.Read(ref _waiting);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _waiting);
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    private static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];
}
