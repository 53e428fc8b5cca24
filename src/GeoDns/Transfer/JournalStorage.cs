using System.Text;
using System.Text.Json;
using GeoDns.Files;
using GeoDns.Protocol;
using GeoDns.Updates;

namespace GeoDns.Transfer;

/// <summary>
/// A <see cref="ZoneJournal"/> on disk: <c>ORIGIN.json</c> holds a whole version with its recent steps, and
/// <c>ORIGIN.steps</c> the steps made since, one JSON line each. A pool's move appends a line of a few hundred bytes
/// instead of rewriting a 100,000-record file; the whole file is rewritten when the zone itself changes, or once the
/// lines reach <see cref="ZoneJournal.MaxSteps"/>. Every write is whole or absent: the snapshot goes through a
/// temporary file and a rename, and a torn last line (a crash mid-append) is ignored when read.
/// </summary>
internal sealed class JournalStorage(string directory, DnsName origin)
{
    private readonly string _path = System.IO.Path.Combine(directory, Name(origin) + "json");
    private readonly string _stepsPath = System.IO.Path.Combine(directory, Name(origin) + "steps");

    public string FilePath => _path;

    private static string Name(DnsName origin) => origin.ToString().Replace('*', '_').Replace('/', '_');

    /// <summary>The version on disk with its steps (null when there is none), and how many step lines follow the snapshot.</summary>
    /// <exception cref="IOException">The file exists and cannot be read (permissions): not damaged, left in place.</exception>
    /// <exception cref="JsonException">The snapshot does not parse (or any other parse failure): damaged.</exception>
    public (ZoneVersion Version, List<ZoneDelta> Steps, int Lines)? Load()
    {
        if (!File.Exists(_path)) return null;
        var text = File.ReadAllText(_path);
        var source = $"journal {origin}";
        ZoneVersion current;
        var steps = new List<ZoneDelta>();
        try
        {
            var file = JsonSerializer.Deserialize<JournalFile>(text) ?? throw new JsonException("the file holds null");
            var soa = file.Soa?.ToRecord(source) ?? throw new JsonException("no SOA");
            current = new ZoneVersion(file.Serial, soa, [.. file.Records.Select(r => r.ToRecord(source))], file.ContentHash);
            steps.AddRange(file.Steps.Select(s => ToDelta(s, source)));
        }
        catch (Exception e) when (e is not JsonException) { throw new JsonException(e.Message, e); }
        var lines = 0;
        var replay = new StepReplay(current.Records);
        foreach (var (step, hash) in ReadSteps(source))
        {
            if (Serial.Of(step.FromSoa) != current.Serial) break; // left by a crash between a snapshot and the removal of the lines before it
            replay.Apply(step);
            current = current with { Serial = Serial.Of(step.ToSoa), Soa = step.ToSoa, ContentHash = hash };
            steps.Add(step);
            lines++;
        }
        if (lines > 0) current = current with { Records = replay.Records };
        if (steps.Count > ZoneJournal.MaxSteps) steps.RemoveRange(0, steps.Count - ZoneJournal.MaxSteps);
        return (current, steps, lines);
    }

    private IEnumerable<(ZoneDelta Step, string Hash)> ReadSteps(string source)
    {
        if (!File.Exists(_stepsPath)) yield break;
        foreach (var line in File.ReadLines(_stepsPath))
        {
            JournalStep? stored;
            try { stored = JsonSerializer.Deserialize<JournalStep>(line); }
            catch (JsonException) { yield break; } // a torn last line: what came before stands
            if (stored?.ContentHash is not { } hash) yield break;
            yield return (ToDelta(stored, source), hash);
        }
    }

    /// <summary>Rewrites the whole journal: the version and its steps; the step lines before it go.</summary>
    public void WriteSnapshot(ZoneVersion current, IReadOnlyList<ZoneDelta> steps)
    {
        var file = new JournalFile
        {
            Serial = current.Serial,
            ContentHash = current.ContentHash,
            Soa = StoredRecord.From(current.Soa),
            Records = [.. current.Records.Select(StoredRecord.From)],
            Steps = [.. steps.Select(s => Stored(s, null))],
        };
        Directory.CreateDirectory(directory);
        var temporary = _path + ".tmp";
        try
        {
            File.WriteAllText(temporary, JsonSerializer.Serialize(file));
            File.Move(temporary, _path, overwrite: true); // atomic: a crash leaves the old journal or the new one
        }
        catch
        {
            File.Delete(temporary); // a full disk must not leave half a journal behind
            throw;
        }
        File.Delete(_stepsPath);
    }

    /// <summary>Appends steps made since the last write, each with the content hash of the version it leads to.</summary>
    public void Append(IReadOnlyList<(ZoneDelta Step, string Hash)> steps) =>
        AppendLines(_stepsPath, string.Concat(steps.Select(s => JsonSerializer.Serialize(Stored(s.Step, s.Hash)) + "\n")));

    /// <summary>Appends <paramref name="text"/> (whole lines) to <paramref name="path"/>: all of it, or nothing when the disk fills mid-write.</summary>
    internal static void AppendLines(string path, string text)
    {
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write);
        var length = stream.Length;
        try
        {
            stream.Write(Encoding.UTF8.GetBytes(text));
            stream.Flush();
        }
        catch
        {
            stream.SetLength(length); // no torn line left behind
            throw;
        }
    }

    /// <summary>Moves a damaged journal aside (with its step lines); says where, for the log.</summary>
    public string MoveAside(DateTimeOffset now)
    {
        try
        {
            var aside = DamagedFile.MoveAside(_path, now);
            if (File.Exists(_stepsPath)) DamagedFile.MoveAside(_stepsPath, now);
            return $"moved aside to {aside}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return $"not moved aside ({e.Message}): the next change overwrites it"; }
    }

    internal static JournalStep Stored(ZoneDelta s, string? hash) => new()
    {
        FromSoa = StoredRecord.From(s.FromSoa),
        ToSoa = StoredRecord.From(s.ToSoa),
        Removed = [.. s.Removed.Select(StoredRecord.From)],
        Added = [.. s.Added.Select(StoredRecord.From)],
        ContentHash = hash,
    };

    internal static ZoneDelta ToDelta(JournalStep s, string source) =>
        new(s.FromSoa.ToRecord(source), [.. s.Removed.Select(r => r.ToRecord(source))], s.ToSoa.ToRecord(source), [.. s.Added.Select(r => r.ToRecord(source))]);
}
