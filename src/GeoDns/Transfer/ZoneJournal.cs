using System.Text.Json;
using GeoDns.Files;
using GeoDns.Protocol;

namespace GeoDns.Transfer;

/// <summary>
/// The served versions of one zone: the current one and the last <see cref="MaxSteps"/> steps to it (what IXFR
/// sends, RFC 1995), kept on disk (<see cref="JournalStorage"/>) so that the serial never goes backwards across a
/// restart and secondaries can still catch up incrementally. A version is the zone's own records (file and dynamic)
/// plus its pools' records: <see cref="MovePools"/> moves only the latter, at the cost of the pools, not the zone.
/// Versions are made in memory and written by <see cref="TakeWrite"/>, so a disk that refuses them never stops
/// answering; a write that failed is retried whole with the next one. Not thread-safe: <see cref="ServedZones"/> serializes.
/// </summary>
public sealed class ZoneJournal
{
    public const int MaxSteps = 64;
    private readonly JournalStorage _storage;
    private List<ZoneDelta> _steps = [];
    private ResourceRecord? _fileSoa;
    private IReadOnlyList<ResourceRecord> _zone = [], _pools = [];
    private UInt128[]? _zoneHashes; // of _zone, in its order: a new version's delta is found by hash, not by text
    private readonly List<(ZoneDelta Step, string Hash)> _unwritten = [];
    private bool _rewrite; // the file on disk is not the one the unwritten steps follow
    private int _lines; // step lines after the snapshot on disk

    public ZoneJournal(string directory, DnsName origin, TimeProvider? time = null)
    {
        _storage = new JournalStorage(directory, origin);
        Load((time ?? TimeProvider.System).GetUtcNow());
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
    /// Makes (<paramref name="fileSoa"/>, <paramref name="zone"/> + <paramref name="pools"/>) the current version if it differs
    /// and returns true; the serial is the file's when only the file changed and its serial moved forward, else
    /// <see cref="Serial.Next"/>. The whole file is rewritten at the next <see cref="TakeWrite"/>.
    /// </summary>
    public bool Advance(ResourceRecord fileSoa, IReadOnlyList<ResourceRecord> zone, IReadOnlyList<ResourceRecord> pools, bool fileOnly, DateTimeOffset now)
    {
        var zoneHashes = ReferenceEquals(zone, _zone) && _zoneHashes is not null ? _zoneHashes : [.. zone.Select(RecordHash.Of)];
        var poolHashes = pools.Select(RecordHash.Of).ToArray();
        var hash = RecordHash.Of(fileSoa);
        foreach (var h in zoneHashes) hash += h;
        foreach (var h in poolHashes) hash += h;
        var text = RecordHash.Text(hash);
        var previous = Current;
        var before = previous is null ? null : _zoneHashes is not null ? [.. _zoneHashes, .. _pools.Select(RecordHash.Of)] : previous.Records.Select(RecordHash.Of).ToArray();
        (_fileSoa, _zone, _pools, _zoneHashes) = (fileSoa, zone, pools, zoneHashes);
        if (previous is not null && previous.ContentHash == text) return false;
        var fileSerial = Serial.Of(fileSoa);
        uint serial;
        if (previous is null) serial = fileOnly ? fileSerial : Serial.Next(fileSerial - 1, fileSerial, now);
        else if (fileOnly && Serial.Newer(fileSerial, previous.Serial)) serial = fileSerial;
        else serial = Serial.Next(previous.Serial, fileSerial, now);
        var next = new ZoneVersion(serial, Serial.With(fileSoa, serial), new JoinedRecords(zone, pools), text);
        if (previous is not null) AddStep(Delta(previous, before!, next, [.. zoneHashes, .. poolHashes]));
        Current = next;
        _rewrite = true;
        _unwritten.Clear();
        return true;
    }

    /// <summary>The zone's records as they are, its pools' records now <paramref name="pools"/>: true when that is a new version (written as one step line).</summary>
    public bool MovePools(IReadOnlyList<ResourceRecord> pools, DateTimeOffset now)
    {
        if (Current is not { } previous || _fileSoa is null) return false; // composed first, always
        var (removed, added) = (Except(_pools, pools), Except(pools, _pools));
        if (removed.Count == 0 && added.Count == 0) return false;
        var hash = UInt128.Parse(previous.ContentHash, System.Globalization.NumberStyles.HexNumber);
        foreach (var r in removed) hash -= RecordHash.Of(r);
        foreach (var r in added) hash += RecordHash.Of(r);
        var serial = Serial.Next(previous.Serial, Serial.Of(_fileSoa), now);
        var next = new ZoneVersion(serial, Serial.With(_fileSoa, serial), new JoinedRecords(_zone, pools), RecordHash.Text(hash));
        var step = new ZoneDelta(previous.Soa, removed, next.Soa, added);
        AddStep(step);
        (Current, _pools) = (next, pools);
        _unwritten.Add((step, next.ContentHash));
        return true;
    }

    /// <summary>
    /// The zone's own records moved by <paramref name="removed"/> and <paramref name="added"/> under a new file SOA (a secondary's
    /// copy moved by IXFR): a new version without reading the zone's records as text. False when there is nothing to amend.
    /// </summary>
    public bool Amend(ResourceRecord fileSoa, IReadOnlyList<ResourceRecord> removed, IReadOnlyList<ResourceRecord> added, bool fileOnly, DateTimeOffset now)
    {
        if (Current is not { } previous || _fileSoa is null || _zoneHashes is null) return false;
        var gone = new Dictionary<UInt128, int>();
        foreach (var r in removed) gone[RecordHash.Of(r)] = gone.GetValueOrDefault(RecordHash.Of(r)) + 1;
        var (zone, hashes, taken) = (new List<ResourceRecord>(_zone.Count + added.Count), new List<UInt128>(_zone.Count + added.Count), new List<ResourceRecord>());
        for (var i = 0; i < _zone.Count; i++)
        {
            if (gone.TryGetValue(_zoneHashes[i], out var n) && n > 0)
            {
                gone[_zoneHashes[i]] = n - 1;
                taken.Add(_zone[i]);
                continue;
            }
            zone.Add(_zone[i]);
            hashes.Add(_zoneHashes[i]);
        }
        zone.AddRange(added);
        hashes.AddRange(added.Select(RecordHash.Of));
        var hash = UInt128.Parse(previous.ContentHash, System.Globalization.NumberStyles.HexNumber) - RecordHash.Of(_fileSoa) + RecordHash.Of(fileSoa);
        foreach (var r in taken) hash -= RecordHash.Of(r);
        foreach (var r in added) hash += RecordHash.Of(r);
        var fileSerial = Serial.Of(fileSoa);
        var serial = fileOnly && Serial.Newer(fileSerial, previous.Serial) ? fileSerial : Serial.Next(previous.Serial, fileSerial, now);
        var next = new ZoneVersion(serial, Serial.With(fileSoa, serial), new JoinedRecords(zone, _pools), RecordHash.Text(hash));
        var step = new ZoneDelta(previous.Soa, taken, next.Soa, added);
        AddStep(step);
        (Current, _fileSoa, _zone, _zoneHashes) = (next, fileSoa, zone, [.. hashes]);
        _unwritten.Add((step, next.ContentHash));
        return true;
    }

    /// <summary>The serial of the zone file (or copy) the current version was made from.</summary>
    public uint? FileSerial => _fileSoa is null ? null : Serial.Of(_fileSoa);

    /// <summary>Identity of a record in a version: owner, type, TTL and RDATA (a TTL change is a removal and an addition).</summary>
    public static string Key(ResourceRecord r) => $"{Convert.ToHexString(r.Owner.Wire)}/{r.Type}/{r.Ttl}/{Convert.ToHexString(r.Data)}";

    /// <summary>
    /// What must be written to bring the disk up to the current version (null when it is): run it outside the lock that
    /// serializes this journal, then report how it went with <see cref="Written"/>.
    /// </summary>
    public Action? TakeWrite()
    {
        if (Current is not { } current) return null;
        if (_rewrite || _lines + _unwritten.Count > MaxSteps)
        {
            var steps = _steps;
            _rewrite = false;
            _unwritten.Clear();
            return () => { _storage.WriteSnapshot(current, steps); _lines = 0; };
        }
        if (_unwritten.Count == 0) return null;
        var lines = _unwritten.ToList();
        _unwritten.Clear();
        return () => { _storage.Append(lines); _lines += lines.Count; };
    }

    /// <summary>After a write that failed: the next one rewrites the whole file.</summary>
    public void Written(bool ok)
    {
        if (!ok) _rewrite = true;
    }

    public string FilePath => _storage.FilePath;

    private void AddStep(ZoneDelta step)
    {
        var steps = new List<ZoneDelta>(_steps) { step }; // a new list: a write or an IXFR in progress keeps the one it took
        if (steps.Count > MaxSteps) steps.RemoveRange(0, steps.Count - MaxSteps);
        _steps = steps;
    }

    private static ZoneDelta Delta(ZoneVersion previous, UInt128[] beforeHashes, ZoneVersion next, UInt128[] afterHashes)
    {
        var left = new Dictionary<UInt128, int>(beforeHashes.Length);
        foreach (var h in beforeHashes) left[h] = left.GetValueOrDefault(h) + 1;
        var added = new List<ResourceRecord>();
        for (var i = 0; i < afterHashes.Length; i++)
            if (left.TryGetValue(afterHashes[i], out var n) && n > 0) left[afterHashes[i]] = n - 1;
            else added.Add(next.Records[i]);
        var removed = new List<ResourceRecord>();
        for (var i = 0; i < beforeHashes.Length; i++)
            if (left.TryGetValue(beforeHashes[i], out var n) && n > 0)
            {
                left[beforeHashes[i]] = n - 1;
                removed.Add(previous.Records[i]);
            }
        return new ZoneDelta(previous.Soa, removed, next.Soa, added);
    }

    /// <summary>The records of <paramref name="a"/> not in <paramref name="b"/>, as multisets (pools hold a few records: by text).</summary>
    private static List<ResourceRecord> Except(IReadOnlyList<ResourceRecord> a, IReadOnlyList<ResourceRecord> b)
    {
        var left = b.GroupBy(Key).ToDictionary(g => g.Key, g => g.Count());
        var result = new List<ResourceRecord>();
        foreach (var r in a)
            if (left.TryGetValue(Key(r), out var n) && n > 0) left[Key(r)] = n - 1;
            else result.Add(r);
        return result;
    }

    private void Load(DateTimeOffset now)
    {
        try
        {
            if (_storage.Load() is not var (current, steps, lines)) return;
            (Current, _steps, _lines) = (current, steps, lines);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not damaged, just unreadable now: left in place for whoever fixes the permissions; the next write replaces it.
            Damage = $"{FileProblem.Describe(_storage.FilePath, e)}; starting without it";
        }
        catch (JsonException e)
        {
            // A broken journal costs secondaries one full transfer; the serial still moves forward (unix time).
            Damage = $"{_storage.FilePath} could not be read ({e.Message}); " + _storage.MoveAside(now) + "; secondaries get the whole zone once, the serial still moves forward";
        }
    }
}
