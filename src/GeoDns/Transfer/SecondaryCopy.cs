using System.Text.Json;
using GeoDns.Files;
using GeoDns.Protocol;
using GeoDns.Updates;

namespace GeoDns.Transfer;

/// <summary>
/// What a secondary zone holds: the records last transferred, when, and when they expire (SOA EXPIRE after the last
/// successful refresh, RFC 1034 §4.3.5). Kept in <c>DATA/secondary/</c>, so a restart serves at once.
/// </summary>
public sealed record SecondaryCopy(DnsName Origin, IReadOnlyList<ResourceRecord> Records, DateTimeOffset RefreshedAt)
{
    public ResourceRecord Soa => Records.First(r => r.Type == DnsType.SOA);

    /// <summary>How this copy came from the one before it, when by IXFR (RFC 1995); null after an AXFR or a load.</summary>
    public IReadOnlyList<ZoneDelta>? Steps { get; init; }

    /// <summary>How many step lines follow the whole copy on disk: past <see cref="MaxStepLines"/> the next store rewrites it whole.</summary>
    public int StepLines { get; init; }

    public const int MaxStepLines = 64;
    public uint Serial => Transfer.Serial.Of(Soa);

    private uint Field(int index) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(Soa.Data.AsSpan(RdataNames.Skip(Soa.Data, RdataNames.Skip(Soa.Data, 0)) + 4 * index));
    public TimeSpan Refresh => TimeSpan.FromSeconds(Math.Max(1, Field(1)));
    public TimeSpan Retry => TimeSpan.FromSeconds(Math.Max(1, Field(2)));
    public TimeSpan Expire => TimeSpan.FromSeconds(Math.Max(1, Field(3)));
    public DateTimeOffset ExpiresAt => RefreshedAt + Expire;

    public static string PathFor(string directory, DnsName origin) => Path.Combine(directory, Convert.ToHexString(origin.Wire) + ".json");

    /// <summary>
    /// Stores this copy: after an IXFR as its steps appended to the stored copy (a pool's move is a line, not the zone
    /// again), else whole. Returns the copy as stored (its <see cref="StepLines"/>).
    /// </summary>
    public SecondaryCopy Store(string directory, SecondaryCopy? previous)
    {
        if (Steps is { Count: > 0 } steps && previous is not null && previous.StepLines + steps.Count <= MaxStepLines && File.Exists(PathFor(directory, Origin)))
        {
            JournalStorage.AppendLines(StepsPath(directory), string.Concat(steps.Select(s => JsonSerializer.Serialize(new StoredStep(RefreshedAt, JournalStorage.Stored(s, null))) + "\n")));
            return this with { StepLines = previous.StepLines + steps.Count };
        }
        Save(directory);
        return this with { StepLines = 0 };
    }

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = PathFor(directory, Origin);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(new StoredCopy(RefreshedAt, [.. Records.Select(StoredRecord.From)])));
        File.Move(path + ".tmp", path, overwrite: true);
        File.Delete(StepsPath(directory)); // the lines before this copy: a crash before this line leaves lines that no longer follow, ignored at load
    }

    private static string StepsPath(string directory, DnsName origin) => Path.ChangeExtension(PathFor(directory, origin), ".steps");

    private string StepsPath(string directory) => StepsPath(directory, Origin);

    /// <summary>
    /// The stored copy of <paramref name="origin"/>, or null. A file that does not parse is moved aside (and an unreadable one
    /// left in place); <paramref name="damage"/> then says so, for the log. Either way the zone is transferred anew.
    /// </summary>
    public static SecondaryCopy? Load(string directory, DnsName origin, DateTimeOffset now, out string? damage)
    {
        damage = null;
        var path = PathFor(directory, origin);
        if (!File.Exists(path)) return null;
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            damage = $"{FileProblem.Describe(path, e)}; transferring the zone anew";
            return null;
        }
        string problem;
        try
        {
            var stored = JsonSerializer.Deserialize<StoredCopy>(text);
            var records = stored?.Records?.Select(r => r.ToRecord($"secondary copy of {origin}")).ToList();
            var refreshed = stored?.RefreshedAt ?? default;
            var lines = 0;
            if (records is { Count: > 0 } && records.Any(r => r.Type == DnsType.SOA)) (records, refreshed, lines) = Replay(directory, origin, records, refreshed);
            if (records is not { Count: > 0 } || !records.Any(r => r.Type == DnsType.SOA)) problem = "no SOA record";
            // Stored by an older version, or edited by hand: held to the rules a transfer is.
            else if (TransferCheck.Problems(origin, records, null, path) is { Count: > 0 } problems) problem = string.Join("; ", problems.Take(3));
            else return new SecondaryCopy(origin, records, refreshed) { StepLines = lines };
        }
        catch (Exception e) // the text was read: whatever its parse throws (bad JSON, hex, names), the content is damaged
        {
            problem = e.Message;
        }
        string where;
        try { where = $"moved aside to {DamagedFile.MoveAside(path, now)}"; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { where = $"not moved aside ({e.Message}): the next transfer overwrites it"; }
        damage = $"{path} could not be read ({problem}); {where}; transferring the zone anew";
        return null;
    }

    /// <summary>The copy's step lines replayed: each follows the serial before it; a torn or stray line ends the replay.</summary>
    private static (List<ResourceRecord>, DateTimeOffset, int) Replay(string directory, DnsName origin, List<ResourceRecord> records, DateTimeOffset refreshed)
    {
        var path = StepsPath(directory, origin);
        if (!File.Exists(path)) return (records, refreshed, 0);
        var (replay, soa, lines) = (new StepReplay(records), records.First(r => r.Type == DnsType.SOA), 0);
        foreach (var line in File.ReadLines(path))
        {
            StoredStep? step;
            try { step = JsonSerializer.Deserialize<StoredStep>(line); }
            catch (JsonException) { break; }
            if (step?.Step is null) break;
            var delta = JournalStorage.ToDelta(step.Step, $"secondary copy of {origin}");
            if (Transfer.Serial.Of(delta.FromSoa) != Transfer.Serial.Of(soa)) break;
            replay.Apply(new ZoneDelta(delta.FromSoa, [delta.FromSoa, .. delta.Removed], delta.ToSoa, [delta.ToSoa, .. delta.Added]));
            (soa, refreshed, lines) = (delta.ToSoa, step.RefreshedAt, lines + 1);
        }
        return ([.. replay.Records], refreshed, lines);
    }

    private sealed record StoredCopy(DateTimeOffset RefreshedAt, List<StoredRecord> Records);

    private sealed record StoredStep(DateTimeOffset RefreshedAt, JournalStep Step);
}
