using GeoDns.Sidecar.Signals;

namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// An edge's signals in <c>GET /v1/fleet</c> (part of <see cref="FleetDocument"/>, an API: members are added, never
/// renamed). Unreadable signals say why in <see cref="Error"/> and carry no <see cref="Latest"/>: not known is not 0.
/// <see cref="Http"/> is false in passthrough mode, where the edge sees no requests or statuses (null: nothing read yet).
/// </summary>
public sealed record FleetSignals(bool Readable, string? Error, DateTimeOffset? At, long? AgeSeconds, bool? Http, string? Interface, SignalsPoint? Latest, FleetSignals.Trend History)
{
    /// <summary>The panel's sparklines: the last <c>signals.history</c> in <see cref="Points"/> steps of <see cref="StepSeconds"/>, ending at
    /// <see cref="End"/> (the latest point); each rate the mean over its step, each gauge the highest; null where nothing was read.</summary>
    public sealed record Trend(long StepSeconds, int Points, DateTimeOffset? End,
        IReadOnlyList<double?> RequestsPerSecond, IReadOnlyList<double?> ConnectionsPerSecond, IReadOnlyList<double?> RejectedPerSecond, IReadOnlyList<double?> ServerErrorsPerSecond,
        IReadOnlyList<double?> Connections, IReadOnlyList<double?> SynRecv,
        IReadOnlyList<double?> ReceivedBitsPerSecond, IReadOnlyList<double?> SentBitsPerSecond,
        IReadOnlyList<double?> ReceivedPacketsPerSecond, IReadOnlyList<double?> SentPacketsPerSecond);

    /// <summary>Enough steps for a sparkline a phone can show, few enough to keep the document small.</summary>
    public const int MaxPoints = 60;

    public static FleetSignals Of(EdgeSignals signals, SignalsOptions options, DateTimeOffset now) => new(
        signals.Readable, signals.Error, signals.Sample?.Time,
        signals.ChangedAt is { } changed ? (long)Math.Max(0, (now - changed).TotalSeconds) : null,
        signals.Sample is { } sample ? sample.Responses is not null : null, signals.Sample?.Net?.Interface, signals.Latest, TrendOf(signals.History, options));

    private static Trend TrendOf(IReadOnlyList<SignalsPoint> points, SignalsOptions options)
    {
        var step = (long)Math.Max(options.Interval.TotalSeconds, Math.Ceiling(options.History.TotalSeconds / MaxPoints));
        var count = (int)Math.Ceiling(options.History.TotalSeconds / step);
        var end = points.Count > 0 ? points[^1].At : (DateTimeOffset?)null;
        int? Slot(SignalsPoint p) => count - 1 - (int)Math.Floor((end!.Value - p.At).TotalSeconds / step) is var i and >= 0 ? i : null;
        IReadOnlyList<double?> Mean(Func<SignalsPoint, double?> rate)
        {
            var (sum, seconds) = (new double[count], new double[count]);
            foreach (var p in points)
                if (rate(p) is { } r && Slot(p) is { } i) (sum[i], seconds[i]) = (sum[i] + r * p.Seconds, seconds[i] + p.Seconds);
            return [.. sum.Zip(seconds, (s, t) => t > 0 ? Math.Round(s / t, 2) : (double?)null)];
        }
        IReadOnlyList<double?> Highest(Func<SignalsPoint, double?> gauge)
        {
            var high = new double?[count];
            foreach (var p in points)
                if (gauge(p) is { } g && Slot(p) is { } i) high[i] = Math.Max(high[i] ?? g, g);
            return high;
        }
        return new Trend(step, count, end,
            Mean(p => p.RequestsPerSecond), Mean(p => p.ConnectionsPerSecond), Mean(p => p.RejectedPerSecond), Mean(p => p.ServerErrorsPerSecond),
            Highest(p => p.Connections), Highest(p => p.SynRecv),
            Mean(p => p.ReceivedBitsPerSecond), Mean(p => p.SentBitsPerSecond), Mean(p => p.ReceivedPacketsPerSecond), Mean(p => p.SentPacketsPerSecond));
    }
}
