using System.Globalization;
using GeoDns.Sidecar.State;
using LiteDB;
using Microsoft.Extensions.Logging;

namespace GeoDns.Sidecar.Signals;

/// <summary>
/// Each edge's <see cref="EdgeSignalsTrack"/> in the state file, so a restarted <c>run</c> judges and draws an edge with
/// the history it had. Appended, never rewritten: a save adds one document, the edge's latest sample and its points
/// since the save before (a home server's disk is often an SD card, and a day of history rewritten every minute would
/// wear it); the newest document's sample is the track's last. A document whose points have all left
/// <c>signals.history</c> is deleted at a later save. A write the disk refuses is a failure, and its points go with the
/// next save; an edge whose stored history cannot be read (damaged, or kept in a shape since changed) starts empty, as
/// a new edge does, with one warning.
/// </summary>
public sealed class SignalsStore(StateFile state, TimeSpan history, ILogger log)
{
    private const string Collection = "signals";

    /// <summary>One save: the edge's latest sample, when it arrived (the home's clock), and the points since the save before.</summary>
    private sealed record Part(EdgeSignalsSample Last, DateTimeOffset? ChangedAt, IReadOnlyList<SignalsPoint> Points);

    /// <summary>A part in the file: its number in its edge's sequence, and when its newest point ends (null: it has none).</summary>
    private sealed record Stored(int Number, DateTimeOffset? Newest);

    private readonly Dictionary<string, List<Stored>> _stored = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, long> _added = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Set when the collection itself could not be read: its part numbers are unknown, so nothing is written over it.</summary>
    private bool _unreadable;

    /// <summary>The tracks of the <paramref name="live"/> edges as they were saved; the stored history of any other edge is deleted.</summary>
    public Dictionary<string, EdgeSignalsTrack> Load(IReadOnlyCollection<string> live)
    {
        var tracks = new Dictionary<string, EdgeSignalsTrack>(StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach (var edge in state.Read<Part>(Collection).GroupBy(r => Split(r.Id).Edge, StringComparer.OrdinalIgnoreCase))
            {
                var parts = edge.Select(r => (r.Id, Split(r.Id).Number, Part: r.Value.Value, Problem: Problem(r.Id, r.Value))).OrderBy(p => p.Number).ToList();
                var problem = parts.Select(p => p.Problem).FirstOrDefault(p => p is not null);
                var kept = live.Contains(edge.Key, StringComparer.OrdinalIgnoreCase);
                if (kept && problem is null)
                {
                    var newest = parts[^1].Part!;
                    tracks[edge.Key] = EdgeSignalsTrack.Restore(history, newest.Last, newest.ChangedAt, parts.SelectMany(p => p.Part!.Points));
                    _stored[edge.Key] = [.. parts.Select(p => new Stored(p.Number!.Value, p.Part!.Points is [.., var end] ? end.At : null))];
                    continue;
                }
                if (kept) log.LogWarning("Stored signals history of {Edge} unreadable ({Problem}): dropped, the edge's history starts again", edge.Key, problem);
                foreach (var part in parts) state.Delete(Collection, part.Id);
            }
        }
        catch (Exception e) when (e is LiteException or IOException)
        {
            log.LogWarning("Stored signals history unreadable ({Error}): every edge's history starts again, kept in memory only until the next start", e.Message);
            _unreadable = true;
            _stored.Clear();
            tracks.Clear();
        }
        return tracks;
    }

    /// <summary>Adds <paramref name="track"/>'s latest sample and its points since <paramref name="edge"/>'s last save, and deletes the parts that have left its history.</summary>
    public Outcome Save(string edge, EdgeSignalsTrack track)
    {
        if (_unreadable || track.Last is not { } last) return Outcome.Success;
        var stored = _stored.GetValueOrDefault(edge) ?? [];
        var fresh = track.Points.TakeLast((int)Math.Min(track.Added - _added.GetValueOrDefault(edge), track.Points.Count)).ToList();
        var part = new Stored(stored.Count > 0 ? stored[^1].Number + 1 : 1, fresh.Count > 0 ? fresh[^1].At : null);
        var gone = stored.Where(s => s.Newest is null || s.Newest < last.Time - history).ToList();
        try
        {
            state.Put(Collection, Id(edge, part.Number), new Part(last, track.ChangedAt, fresh));
            foreach (var old in gone) state.Delete(Collection, Id(edge, old.Number));
        }
        catch (Exception e) when (e is LiteException or IOException)
        {
            // The next save writes the same part number again, with these points in it.
            return Outcome.Failed(e.Message);
        }
        _stored[edge] = [.. stored.Except(gone), part];
        _added[edge] = track.Added;
        return Outcome.Success;
    }

    /// <summary>Deletes <paramref name="edge"/>'s stored history: the edge has left.</summary>
    public Outcome Delete(string edge)
    {
        try
        {
            foreach (var part in _stored.GetValueOrDefault(edge) ?? []) state.Delete(Collection, Id(edge, part.Number));
        }
        catch (Exception e) when (e is LiteException or IOException)
        {
            return Outcome.Failed(e.Message); // the next start deletes it, the edge being gone
        }
        _stored.Remove(edge);
        _added.Remove(edge);
        return Outcome.Success;
    }

    private static string? Problem(BsonValue id, Outcome<Part> read) =>
        Split(id).Number is null ? $"{id} is not a part's id" : !read.Ok ? read.Error : Whole(read.Value!) ? null : "not a signals history";

    // Missing members read as null: a document of another shape is no part, whatever the JSON reader let through.
    private static bool Whole(Part part) => part.Last is { Run.Length: > 0, Tcp: not null } && part.Points is not null && part.Points.All(p => p is not null);

    // Edge names are host names: one edge whatever the case, and never a '/'.
    private static string Id(string edge, int number) => string.Create(CultureInfo.InvariantCulture, $"{edge.ToLowerInvariant()}/{number:D10}");

    /// <summary>The edge and part number an id names; an id this store did not write is an edge of its own, with no number.</summary>
    private static (string Edge, int? Number) Split(BsonValue id)
    {
        if (!id.IsString || id.AsString.LastIndexOf('/') is not (> 0 and var slash)) return (id.ToString(), null);
        var text = id.AsString;
        return (text[..slash], int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null);
    }
}
