using System.Globalization;
using GeoDns.Sidecar.Nginx;
using GeoDns.Sidecar.Signals;
using GeoDns.Sidecar.State;

namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// Part of <c>run</c>: each poll, an attack verdict per serving edge from the <see cref="FleetSnapshot"/> and its
/// signals history.
/// <list type="bullet">
/// <item><b>flood</b>: a signal held above max(<c>attack.factor</c> × the edge's baseline, the signal's floor) for
/// <c>attack.sustain</c>. The baseline is the median of its history before that window: a median, so a few bursts in
/// the history do not lift it. Without <c>attack.sustain</c> of history before the window (a new edge) only the floors
/// apply. While a flood holds its baseline is kept as it was when it began, or a long flood would become its own baseline.</item>
/// <item><b>unreachable</b>: Down on every nameserver that answers, a majority of them (one that does not answer is no
/// vote), while its tunnel home is fresh and its signals readable, for <c>attack.unreachableFor</c>: the world cannot reach it and home can, a null route or a saturated
/// uplink. A dead edge (tunnel stale, signals unreadable) is no attack: <see cref="OutageWatch"/> replaces it.</item>
/// </list>
/// </summary>
public sealed class AttackWatch(AttackOptions options, NginxMode mode)
{
    private sealed record Signal(string Name, Func<SignalsPoint, double?> Value, double Floor, Func<double, string> Say);

    private readonly Dictionary<string, DateTimeOffset> _unreachableSince = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Dictionary<string, double?>> _frozen = new(StringComparer.OrdinalIgnoreCase);

    private IEnumerable<Signal> Signals()
    {
        var floor = options.Floor;
        static string PerSecond(double v) => string.Create(CultureInfo.InvariantCulture, $"{v:0.#}/s");
        // In passthrough mode the edge reads no requests (TLS ends at home): its new connections are the load.
        yield return mode == NginxMode.Passthrough
            ? new Signal("connections", p => p.ConnectionsPerSecond, floor.Connections, PerSecond)
            : new Signal("requests", p => p.RequestsPerSecond, floor.Requests, PerSecond);
        yield return new Signal("429s", p => p.RejectedPerSecond, floor.Rejected, PerSecond);
        yield return new Signal("received", p => p.ReceivedBitsPerSecond, floor.ReceivedBits, v => string.Create(CultureInfo.InvariantCulture, $"{v / 1e6:0.#} Mbit/s"));
        yield return new Signal("received packets", p => p.ReceivedPacketsPerSecond, floor.ReceivedPackets, PerSecond);
        yield return new Signal("SYN-RECV", p => p.SynRecv, floor.SynRecv, v => string.Create(CultureInfo.InvariantCulture, $"{v:0} sockets"));
    }

    /// <summary>The verdicts of this poll, one at most per serving edge; none when <c>attack.enabled</c> is false.</summary>
    public IReadOnlyList<AttackVerdict> Judge(FleetSnapshot fleet)
    {
        if (!options.Enabled) return [];
        var serving = fleet.Edges.Where(e => e.Role == nameof(EdgeRole.Serving)).ToList();
        foreach (var gone in _unreachableSince.Keys.Concat(_frozen.Keys).Where(k => !serving.Any(e => e.Name.Equals(k, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            _unreachableSince.Remove(gone);
            _frozen.Remove(gone);
        }
        var verdicts = new List<AttackVerdict>();
        foreach (var edge in serving)
        {
            var unreachable = Unreachable(edge, fleet.At);
            // A flood names its figures, so it is said first when both hold: it may be what saturates the uplink.
            if ((Flood(edge) ?? unreachable) is { } verdict) verdicts.Add(verdict);
        }
        return verdicts;
    }

    /// <summary>
    /// Whether the pool still answers well without <paramref name="edge"/>: another serving edge, not itself attacked, is
    /// Up (and not drained) on every nameserver. Then an attacked edge can leave the answers before its replacement exists.
    /// </summary>
    public static bool Spare(FleetSnapshot fleet, string edge, IEnumerable<AttackVerdict> attacked) =>
        fleet.Edges.Any(e => e.Role == nameof(EdgeRole.Serving) && !e.Name.Equals(edge, StringComparison.OrdinalIgnoreCase)
            && !attacked.Any(a => a.Edge.Equals(e.Name, StringComparison.OrdinalIgnoreCase))
            && e.Views.Count > 0 && e.Views.All(v => v is { State: "Up", Drained: false }));

    private AttackVerdict? Unreachable(EdgeSight edge, DateTimeOffset now)
    {
        // Drained or not: once an attacked edge is drained (its rotation under way) it is no less cut off. A majority of the
        // nameservers must say so, as for any rotation: one nameserver's own uplink trouble must not cost an edge.
        var listed = edge.Views.Where(v => v.Listed).ToList();
        var cut = listed.Count * 2 > edge.Views.Count && listed.All(v => v.State == "Down") && edge.Tunnel is { Stale: false } && edge.Signals is { Readable: true };
        if (!cut)
        {
            _unreachableSince.Remove(edge.Name);
            return null;
        }
        var since = _unreachableSince.TryGetValue(edge.Name, out var first) ? first : _unreachableSince[edge.Name] = now;
        if (now - since < options.UnreachableFor) return null;
        return new AttackVerdict(edge.Name, AttackKind.Unreachable, "unreachable from the world",
            $"Down on every nameserver for {Seconds(now - since)} while its tunnel home is fresh and its signals readable: "
            + "reachable from home, not from the world (a null route or a saturated uplink)", since);
    }

    private AttackVerdict? Flood(EdgeSight edge)
    {
        if (edge.Signals is not { Readable: true, Latest: { } latest } signals)
        {
            _frozen.Remove(edge.Name);
            return null;
        }
        var window = latest.At - options.Sustain;
        var before = signals.History.Where(p => p.At <= window).ToList();
        var baselines = _frozen.GetValueOrDefault(edge.Name)
            ?? Signals().ToDictionary(s => s.Name, s => before.Sum(p => p.Seconds) >= options.Sustain.TotalSeconds ? Median(before.Select(s.Value)) : null);
        foreach (var signal in Signals())
        {
            var baseline = baselines.GetValueOrDefault(signal.Name);
            var threshold = Math.Max(signal.Floor, options.Factor * (baseline ?? 0));
            if (Held(signals.History, signal, threshold, window) is not { } from) continue;
            _frozen[edge.Name] = baselines;
            var value = signal.Value(latest)!.Value;
            var against = baseline is > 0 && options.Factor * baseline >= signal.Floor
                ? string.Create(CultureInfo.InvariantCulture, $"{value / baseline.Value:0}× baseline {signal.Say(baseline.Value)}")
                : $"above the floor {signal.Say(signal.Floor)} ({(baseline is { } b ? $"baseline {signal.Say(b)}" : "too little history for a baseline")})";
            var figures = $"{signal.Name} {signal.Say(value)}, {against}, for {Seconds(latest.At - from)}";
            var sources = Sources(signals.History.Where(p => p.At > from));
            var busiest = sources.Count == 0 ? "" : "; busiest sources " + string.Join(", ", sources.Take(3).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Address} {s.Rate:0.#}/s")));
            return new AttackVerdict(edge.Name, AttackKind.Flood, $"flood ({figures})",
                $"{figures}: above max(attack.factor {options.Factor:0.#} × baseline, floor {signal.Say(signal.Floor)}){busiest}", from)
            { Sources = [.. sources.Select(s => s.Address)] };
        }
        _frozen.Remove(edge.Name);
        return null;
    }

    /// <summary>
    /// The addresses the edge named among its busiest over <paramref name="window"/> that averaged <c>attack.tighten.minRate</c>
    /// over all of it, busiest first. An address missing from a point's top ten counts nothing there: a source that only
    /// sometimes makes the list is below the rate of those that always do.
    /// </summary>
    private List<(string Address, double Rate)> Sources(IEnumerable<SignalsPoint> window)
    {
        var points = window.ToList();
        var seconds = points.Sum(p => p.Seconds);
        if (seconds <= 0) return [];
        return [.. points.SelectMany(p => p.Sources ?? []).GroupBy(s => s.Address, StringComparer.OrdinalIgnoreCase)
            .Select(g => (Address: g.Key, Rate: g.Sum(s => s.Count) / seconds)).Where(s => s.Rate >= options.Tighten.MinRate)
            .OrderByDescending(s => s.Rate).ThenBy(s => s.Address, StringComparer.Ordinal).Take(MaxSources)];
    }

    /// <summary>At most this many sources per verdict: the edge names ten per interval, and a flood from more is no list to ban.</summary>
    private const int MaxSources = 20;

    /// <summary>Since when (the edge's clock) <paramref name="signal"/> has been above the threshold without a break, when that reaches back past <paramref name="window"/>; else null.</summary>
    private static DateTimeOffset? Held(IReadOnlyList<SignalsPoint> history, Signal signal, double threshold, DateTimeOffset window)
    {
        DateTimeOffset? from = null;
        for (var i = history.Count - 1; i >= 0; i--)
        {
            // Unknown (a counter started again) breaks the run: a flood is called on figures, never on a gap.
            if (signal.Value(history[i]) is not { } value || value <= threshold) break;
            from = history[i].At - TimeSpan.FromSeconds(history[i].Seconds);
        }
        return from <= window ? from : null;
    }

    private static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.OfType<double>().Order().ToList();
        if (sorted.Count == 0) return null;
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s");
}
