namespace GeoDns.Sidecar.Signals;

/// <summary>
/// What an edge saw between two of its samples: rates per second over <see cref="Seconds"/> ending at <see cref="At"/>
/// (the edge's clock), and the gauges at <see cref="At"/>. A rate is null when the edge did not report that part, or
/// when its counter started again in between (it went down, or the script's run changed): unknown, never zero.
/// The fleet panel's document carries the latest as it is, so its names are part of <c>GET /v1/fleet</c>.
/// <see cref="Sources"/> are the busiest client addresses the later sample names, counted over the edge's interval.
/// </summary>
public sealed record SignalsPoint(
    DateTimeOffset At,
    double Seconds,
    double? RequestsPerSecond,
    double? ConnectionsPerSecond,
    double? RejectedPerSecond,
    double? ServerErrorsPerSecond,
    double? ReceivedBitsPerSecond,
    double? SentBitsPerSecond,
    double? ReceivedPacketsPerSecond,
    double? SentPacketsPerSecond,
    double? ListenDropsPerSecond,
    double? SyncookiesPerSecond,
    long? Connections,
    long SynRecv,
    IReadOnlyList<EdgeSignalsSample.SourceCount>? Sources = null)
{
    /// <summary>The point from <paramref name="before"/> to <paramref name="after"/>; <paramref name="after"/> is the later sample.</summary>
    public static SignalsPoint Between(EdgeSignalsSample before, EdgeSignalsSample after)
    {
        var seconds = after.At - before.At;
        double? Rate(long? from, long? to, double scale = 1) => from is { } a && to is { } b && b >= a && seconds > 0 ? (b - a) * scale / seconds : null;
        // The responses are the script's own counts: they start again with its run, whatever their values.
        var (responsesBefore, responsesAfter) = before.Run == after.Run ? (before.Responses, after.Responses) : (null, null);
        // Another interface's counters are no continuation of the last one's.
        var (netBefore, netAfter) = before.Net?.Interface == after.Net?.Interface ? (before.Net, after.Net) : (null, null);
        return new SignalsPoint(after.Time, seconds,
            Rate(before.Nginx?.Requests, after.Nginx?.Requests),
            Rate(before.Nginx?.Accepted, after.Nginx?.Accepted),
            Rate(responsesBefore?.Rejected, responsesAfter?.Rejected),
            Rate(responsesBefore?.ServerError, responsesAfter?.ServerError),
            Rate(netBefore?.ReceivedBytes, netAfter?.ReceivedBytes, 8),
            Rate(netBefore?.SentBytes, netAfter?.SentBytes, 8),
            Rate(netBefore?.ReceivedPackets, netAfter?.ReceivedPackets),
            Rate(netBefore?.SentPackets, netAfter?.SentPackets),
            Rate(before.Tcp.ListenDrops, after.Tcp.ListenDrops),
            Rate(before.Tcp.SyncookiesSent, after.Tcp.SyncookiesSent),
            after.Nginx?.Connections,
            after.Tcp.SynRecv,
            after.Sources);
    }
}
