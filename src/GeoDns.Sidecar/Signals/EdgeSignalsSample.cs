using System.Text.Json;
using System.Text.Json.Serialization;

namespace GeoDns.Sidecar.Signals;

/// <summary>
/// One document as deploy/edge/geodns-edge-signals writes it: counters and gauges at <see cref="At"/> (the edge's Unix
/// time). <see cref="Run"/> is new each time the script starts. A part the edge could not read is null: no nginx
/// answer, no <see cref="Responses"/> in passthrough mode (TLS ends at home), no public interface found.
/// <see cref="Sources"/> are the busiest client addresses of the edge's last interval (its top ten, requests in TLS
/// mode, connections in passthrough); null from an edge whose script predates them.
/// </summary>
public sealed record EdgeSignalsSample(int Version, string Run, long Started, double At, int Interval,
    EdgeSignalsSample.NginxCounters? Nginx, EdgeSignalsSample.ResponseCounts? Responses, EdgeSignalsSample.NetCounters? Net, EdgeSignalsSample.TcpCounters Tcp,
    IReadOnlyList<EdgeSignalsSample.SourceCount>? Sources = null)
{
    /// <summary>One client address and how many requests (connections in passthrough mode) it made in the interval.</summary>
    public sealed record SourceCount(string Address, long Count);

    /// <summary>stub_status: connections open now (a gauge), accepted and requests (counters since nginx started).</summary>
    public sealed record NginxCounters(long Connections, long Accepted, long Requests);

    /// <summary>Responses by status class since <see cref="Run"/> began; <see cref="Other4xx"/> leaves out the 429s.</summary>
    public sealed record ResponseCounts(
        [property: JsonPropertyName("1xx")] long Informational,
        [property: JsonPropertyName("2xx")] long Success,
        [property: JsonPropertyName("3xx")] long Redirect,
        [property: JsonPropertyName("4xx")] long Other4xx,
        [property: JsonPropertyName("429")] long Rejected,
        [property: JsonPropertyName("5xx")] long ServerError);

    /// <summary>The public interface's counters (/proc/net/dev) since it came up.</summary>
    public sealed record NetCounters(string Interface, long ReceivedBytes, long ReceivedPackets, long SentBytes, long SentPackets);

    /// <summary>Sockets in SYN-RECV now (a gauge), and the kernel's TcpExt counters since boot.</summary>
    public sealed record TcpCounters(long SynRecv, long ListenOverflows, long ListenDrops, long SyncookiesSent);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };

    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(At * 1000));

    /// <summary>The document, or what is wrong with it: another version, or not this shape.</summary>
    public static Outcome<EdgeSignalsSample> Parse(string text)
    {
        try
        {
            var sample = JsonSerializer.Deserialize<EdgeSignalsSample>(text, Json);
            if (sample is null || string.IsNullOrEmpty(sample.Run) || sample.Tcp is null || sample.At <= 0)
                return Outcome<EdgeSignalsSample>.Failed("not a signals document (no run, at or tcp)");
            return sample.Version == 1 ? Outcome<EdgeSignalsSample>.Success(sample) : Outcome<EdgeSignalsSample>.Failed($"signals version {sample.Version}, this sidecar reads 1");
        }
        catch (JsonException e)
        {
            return Outcome<EdgeSignalsSample>.Failed($"not a signals document: {e.Message}");
        }
    }
}
