using System.Globalization;
using System.Net;
using System.Text;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// An edge's signals endpoint in memory: the document deploy/edge/geodns-edge-signals writes (EdgeSignalsTests checks
/// the real one), with counters a test moves on by hand. <see cref="Status"/> other than 200 answers with no document.
/// </summary>
public sealed class FakeEdgeSignals
{
    private readonly Lock _lock = new();

    public string Run { get; set; } = "run-1";
    public double At { get; set; } = DateTimeOffset.Parse("2026-03-01T12:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeSeconds();
    public long Connections { get; set; } = 4;
    public long Accepted { get; set; } = 1000;
    public long Requests { get; set; } = 5000;
    public long Success { get; set; } = 4800;
    public long Rejected { get; set; }
    public long ServerErrors { get; set; }
    public long ReceivedBytes { get; set; } = 1_000_000;
    public long SentBytes { get; set; } = 9_000_000;
    public long ReceivedPackets { get; set; } = 10_000;
    public long SentPackets { get; set; } = 12_000;
    public long SynRecv { get; set; }

    /// <summary>The busiest sources of the last interval, as the edge names them; null: an edge whose script predates them.</summary>
    public IReadOnlyList<(string Address, long Count)>? Sources { get; set; }

    /// <summary>Passthrough mode: no responses.</summary>
    public bool Http { get; set; } = true;

    public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

    public int Reads { get; private set; }

    /// <summary>The edge's next sample, <paramref name="seconds"/> on: each counter moved on by its rate per second.</summary>
    public void Advance(double seconds, double requests = 0, double rejected = 0, double serverErrors = 0, double receivedBits = 0, double sentBits = 0)
    {
        lock (_lock)
        {
            At += seconds;
            Requests += (long)(requests * seconds);
            Accepted += (long)(requests * seconds / 10);
            Success += (long)((requests - rejected - serverErrors) * seconds);
            Rejected += (long)(rejected * seconds);
            ServerErrors += (long)(serverErrors * seconds);
            ReceivedBytes += (long)(receivedBits * seconds / 8);
            SentBytes += (long)(sentBits * seconds / 8);
            ReceivedPackets += (long)(receivedBits * seconds / 8 / 1000);
            SentPackets += (long)(sentBits * seconds / 8 / 1000);
        }
    }

    /// <summary>The document as the home parses it, for a track fed by hand.</summary>
    public Signals.EdgeSignalsSample Sample()
    {
        using var response = Handle(new HttpRequestMessage(HttpMethod.Get, "http://10.77.0.10:8055/signals.json"));
        var parsed = Signals.EdgeSignalsSample.Parse(response.Content.ReadAsStringAsync().Result);
        Assert.True(parsed.Ok, parsed.Error);
        return parsed.Value!;
    }

    public HttpResponseMessage Handle(HttpRequestMessage request)
    {
        lock (_lock)
        {
            Reads++;
            if (request.RequestUri!.AbsolutePath != "/signals.json" || Status != HttpStatusCode.OK)
                return new HttpResponseMessage(Status == HttpStatusCode.OK ? HttpStatusCode.NotFound : Status);
            var responses = Http ? $$"""{"1xx":0,"2xx":{{Success}},"3xx":0,"4xx":0,"429":{{Rejected}},"5xx":{{ServerErrors}}}""" : "null";
            var sources = Sources is null ? "null" : "[" + string.Join(",", Sources.Select(s => $$"""{"address":"{{s.Address}}","count":{{s.Count}}}""")) + "]";
            var json = string.Create(CultureInfo.InvariantCulture, $$$"""
                {"version":1,"run":"{{{Run}}}","started":{{{(long)At - 3600}}},"at":{{{At:0.000000}}},"interval":5,"nginx":{"connections":{{{Connections}}},"accepted":{{{Accepted}}},"requests":{{{Requests}}}},"responses":{{{responses}}},"sources":{{{sources}}},"net":{"interface":"eth0","receivedBytes":{{{ReceivedBytes}}},"receivedPackets":{{{ReceivedPackets}}},"sentBytes":{{{SentBytes}}},"sentPackets":{{{SentPackets}}}},"tcp":{"synRecv":{{{SynRecv}}},"listenOverflows":0,"listenDrops":0,"syncookiesSent":0}}
                """);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        }
    }
}
