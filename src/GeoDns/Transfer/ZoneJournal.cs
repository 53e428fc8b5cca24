using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GeoDns.Files;
using GeoDns.Protocol;
using GeoDns.Updates;

namespace GeoDns.Transfer;

/// <summary>
/// The served versions of one zone: the current one and the last <see cref="MaxSteps"/> steps to it (what IXFR
/// sends, RFC 1995), kept in <c>DATA/journal/ORIGIN.json</c> so that the serial never goes backwards across a
/// restart and secondaries can still catch up incrementally. Not thread-safe: <see cref="ServedZones"/> serializes.
/// </summary>
public sealed class ZoneJournal
{
    public const int MaxSteps = 64;
    private readonly string _path;
    private readonly DnsName _origin;
    private List<ZoneDelta> _steps = [];

    public ZoneJournal(string directory, DnsName origin, TimeProvider? time = null)
    {
        _origin = origin;
        _path = Path.Combine(directory, origin.ToString().Replace('*', '_').Replace('/', '_') + "json");
        Load(time ?? TimeProvider.System);
    }

    public ZoneVersion? Current { get; private set; }

    /// <summary>Why the journal on disk was not used at load, and what became of it; null when it was read (or there was none).</summary>
    public string? Damage { get; private set; }

    /// <summary>The steps from <paramref name="serial"/> to the current version, or null when the journal does not reach back that far.</summary>
    public IReadOnlyList<ZoneDelta>? StepsFrom(uint serial)
    {
        var start = _steps.FindIndex(s => Serial.Of(s.FromSoa) == serial);
        return start < 0 ? null : _steps[start..];
    }

    /// <summary>
    /// Makes (<paramref name="fileSoa"/>, <paramref name="records"/>) the current version if it differs from it and
    /// returns true; the serial is the file's when only the file changed and its serial moved forward, else
    /// <see cref="Serial.Next"/>.
    /// </summary>
    public bool Advance(ResourceRecord fileSoa, IReadOnlyList<ResourceRecord> records, bool fileOnly, DateTimeOffset now)
    {
        var hash = Hash(fileSoa, records);
        if (Current is { } current && current.ContentHash == hash) return false;
        var fileSerial = Serial.Of(fileSoa);
        uint serial;
        if (Current is null) serial = fileOnly ? fileSerial : Serial.Next(fileSerial - 1, fileSerial, now);
        else if (fileOnly && Serial.Newer(fileSerial, Current.Serial)) serial = fileSerial;
        else serial = Serial.Next(Current.Serial, fileSerial, now);
        var soa = Serial.With(fileSoa, serial);
        var steps = new List<ZoneDelta>(_steps);
        if (Current is { } previous)
        {
            var before = previous.Records.ToLookup(Key);
            var after = records.ToLookup(Key);
            steps.Add(new ZoneDelta(previous.Soa, [.. previous.Records.Where(r => !after.Contains(Key(r)))], soa, [.. records.Where(r => !before.Contains(Key(r)))]));
            if (steps.Count > MaxSteps) steps.RemoveRange(0, steps.Count - MaxSteps);
        }
        var next = new ZoneVersion(serial, soa, records, hash);
        Save(next, steps); // first: when the disk refuses it, the version served and its steps stay as they were
        (Current, _steps) = (next, steps);
        return true;
    }

    /// <summary>Identity of a record in a version: owner, type, TTL and RDATA (a TTL change is a removal and an addition).</summary>
    public static string Key(ResourceRecord r) => $"{Convert.ToHexString(r.Owner.Wire)}/{r.Type}/{r.Ttl}/{Convert.ToHexString(r.Data)}";

    private static string Hash(ResourceRecord fileSoa, IReadOnlyList<ResourceRecord> records)
    {
        var text = new StringBuilder(Key(fileSoa));
        foreach (var key in records.Select(Key).Order(StringComparer.Ordinal)) text.Append('\n').Append(key);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private void Load(TimeProvider time)
    {
        if (!File.Exists(_path)) return;
        string text;
        try { text = File.ReadAllText(_path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not damaged, just unreadable now: left in place for whoever fixes the permissions; the next save replaces it.
            Damage = $"{FileProblem.Describe(_path, e)}; starting without it";
            return;
        }
        try
        {
            var file = JsonSerializer.Deserialize<JournalFile>(text) ?? throw new JsonException("the file holds null");
            var source = $"journal {_origin}";
            var soa = file.Soa?.ToRecord(source) ?? throw new JsonException("no SOA");
            Current = new ZoneVersion(file.Serial, soa, [.. file.Records.Select(r => r.ToRecord(source))], file.ContentHash);
            _steps.AddRange(file.Steps.Select(s => new ZoneDelta(s.FromSoa.ToRecord(source), [.. s.Removed.Select(r => r.ToRecord(source))], s.ToSoa.ToRecord(source), [.. s.Added.Select(r => r.ToRecord(source))])));
        }
        catch (Exception e) // the text was read: whatever its parse throws (bad JSON, hex, names; a missing field), the content is damaged
        {
            // A broken journal costs secondaries one full transfer; the serial still moves forward (unix time).
            Current = null;
            _steps.Clear();
            Damage = $"{_path} could not be read ({e.Message}); " + MoveAside(time) + "; secondaries get the whole zone once, the serial still moves forward";
        }
    }

    private string MoveAside(TimeProvider time)
    {
        try { return $"moved aside to {DamagedFile.MoveAside(_path, time.GetUtcNow())}"; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return $"not moved aside ({e.Message}): the next change overwrites it"; }
    }

    private void Save(ZoneVersion current, List<ZoneDelta> steps)
    {
        var file = new JournalFile
        {
            Serial = current.Serial,
            ContentHash = current.ContentHash,
            Soa = StoredRecord.From(current.Soa),
            Records = [.. current.Records.Select(StoredRecord.From)],
            Steps = [.. steps.Select(s => new JournalStep { FromSoa = StoredRecord.From(s.FromSoa), ToSoa = StoredRecord.From(s.ToSoa), Removed = [.. s.Removed.Select(StoredRecord.From)], Added = [.. s.Added.Select(StoredRecord.From)] })],
        };
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
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
    }
}
