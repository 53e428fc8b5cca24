using System.Text.Json;
using GeoDns.Protocol;

namespace GeoDns.Updates;

/// <summary>
/// Records added by dynamic update, per zone, beside (never inside) the user's zone files: kept in
/// <c>DATA/dynamic/ORIGIN.json</c>, written before they are served, so they survive restarts and zone reloads.
/// </summary>
public sealed class DynamicRecords
{
    private readonly string _directory;
    private readonly Lock _writing = new();
    private volatile Dictionary<DnsName, IReadOnlyList<ResourceRecord>> _zones = [];

    public DynamicRecords(string directory)
    {
        _directory = directory;
        var zones = new Dictionary<DnsName, IReadOnlyList<ResourceRecord>>();
        if (Directory.Exists(directory))
            foreach (var file in Directory.EnumerateFiles(directory, "*.json"))
            {
                try
                {
                    var stored = JsonSerializer.Deserialize<DynamicZoneFile>(File.ReadAllText(file));
                    if (stored is null) continue;
                    var origin = DnsName.FromWire(Convert.FromHexString(stored.Origin));
                    zones[origin] = [.. stored.Records.Select(r => r.ToRecord($"dynamic update ({Path.GetFileName(file)})"))];
                }
                catch (Exception e) when (e is IOException or JsonException or FormatException)
                {
                    Errors.Add($"{file}: {e.Message}");
                }
            }
        _zones = zones;
    }

    /// <summary>Files that could not be read at start (their records are not served).</summary>
    public List<string> Errors { get; } = [];

    public IReadOnlyList<ResourceRecord> For(DnsName origin) => _zones.GetValueOrDefault(origin) ?? [];

    public IReadOnlyDictionary<DnsName, IReadOnlyList<ResourceRecord>> All => _zones;

    /// <summary>Replaces a zone's dynamic records: on disk first (atomically), then in memory. When the disk refuses
    /// (full, read-only) it throws and nothing changed: no partial file is left, the old one and memory stay.</summary>
    public void Replace(DnsName origin, IReadOnlyList<ResourceRecord> records)
    {
        lock (_writing)
        {
            Write(origin, records);
            Keep(origin, records);
        }
    }

    private void Write(DnsName origin, IReadOnlyList<ResourceRecord> records)
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, Convert.ToHexString(origin.Wire) + ".json");
        if (records.Count == 0)
        {
            File.Delete(path);
            return;
        }
        var temporary = path + ".tmp";
        try
        {
            File.WriteAllText(temporary, JsonSerializer.Serialize(new DynamicZoneFile(Convert.ToHexString(origin.Wire), [.. records.Select(StoredRecord.From)])));
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary); // a half-written file must not stay behind (nor fill what little room is left)
            throw;
        }
    }

    private void Keep(DnsName origin, IReadOnlyList<ResourceRecord> records)
    {
        var zones = new Dictionary<DnsName, IReadOnlyList<ResourceRecord>>(_zones);
        if (records.Count == 0) zones.Remove(origin);
        else zones[origin] = records;
        _zones = zones;
    }
}
