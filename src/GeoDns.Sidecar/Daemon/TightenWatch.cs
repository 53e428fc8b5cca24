using System.Globalization;

namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// Part of <c>run</c>: the <c>tighten</c> policy for each flooded edge. The tighten hook runs at the verdict and again
/// every <c>attack.sustain</c> while it holds (new sources banned, the ban and limits extended); the edge is to be rotated
/// once the flood outlasts <c>attack.tighten.escalateAfter</c> from the first run, or when a run fails. A hook run never
/// holds up the daemon's poll: it runs beside it, and its outcome is read at the next.
/// </summary>
public sealed class TightenWatch(AttackTighten options, TimeSpan every, Func<AttackVerdict, CancellationToken, Task<Outcome>> tighten)
{
    private sealed class Edge(DateTimeOffset first)
    {
        public DateTimeOffset First { get; } = first;
        public DateTimeOffset Last { get; set; }
        public Task<Outcome>? Running { get; set; }
        public Outcome? Done { get; set; }
        public int Runs { get; set; }
    }

    private readonly Dictionary<string, Edge> _edges = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What this poll does for <paramref name="verdict"/>: the action in the operator's words, and whether to rotate the edge now instead.</summary>
    public (string Action, bool Rotate) Step(AttackVerdict verdict, DateTimeOffset now, CancellationToken cancel)
    {
        if (!_edges.TryGetValue(verdict.Edge, out var edge)) _edges[verdict.Edge] = edge = new Edge(now);
        if (edge.Running is { IsCompleted: true } finished)
        {
            edge.Done = finished.IsCompletedSuccessfully ? finished.Result : Outcome.Failed(finished.Exception?.GetBaseException().Message ?? "cancelled");
            edge.Running = null;
        }
        if (edge.Done is { Ok: false } failed) return ($"tighten hook failed ({failed.Error})", true);
        if (options.EscalateAfter > TimeSpan.Zero && edge.Runs > 0 && now - edge.First >= options.EscalateAfter)
            return ($"tightened {Words(Whole(now - edge.First))} ago and still flooded", true);
        if (edge.Running is null && (edge.Runs == 0 || now - edge.Last >= every))
        {
            edge.Last = now;
            edge.Runs++;
            edge.Running = tighten(verdict, cancel);
        }
        var what = $"{(verdict.Sources.Count == 1 ? "1 source" : $"{verdict.Sources.Count} sources")} banned and stricter limits for {Words(options.BanFor)}";
        var then = options.EscalateAfter > TimeSpan.Zero ? $"; rotated if still flooded {Words(options.EscalateAfter)} after the first" : "";
        return (edge.Done is null ? $"tightening it (hooks.tighten: {what}){then}" : $"tightened (hooks.tighten: {what}){then}", false);
    }

    /// <summary>Forgets the edges no longer flooded (or gone): a later flood starts its count again.</summary>
    public void Keep(IEnumerable<string> flooded)
    {
        var keep = flooded.ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var gone in _edges.Keys.Where(k => !keep.Contains(k)).ToList()) _edges.Remove(gone);
    }

    /// <summary>A time since, as a person says it: whole minutes from the first one on (the polls make it 61 s as often as 60).</summary>
    private static TimeSpan Whole(TimeSpan since) => since >= TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(Math.Floor(since.TotalMinutes)) : since;

    private static string Words(TimeSpan span) => span.TotalMinutes >= 1 && span.Seconds == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s");
}
