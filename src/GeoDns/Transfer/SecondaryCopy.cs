using System.Text.Json;
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
    public uint Serial => Transfer.Serial.Of(Soa);

    private uint Field(int index) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(Soa.Data.AsSpan(RdataNames.Skip(Soa.Data, RdataNames.Skip(Soa.Data, 0)) + 4 * index));
    public TimeSpan Refresh => TimeSpan.FromSeconds(Math.Max(1, Field(1)));
    public TimeSpan Retry => TimeSpan.FromSeconds(Math.Max(1, Field(2)));
    public TimeSpan Expire => TimeSpan.FromSeconds(Math.Max(1, Field(3)));
    public DateTimeOffset ExpiresAt => RefreshedAt + Expire;

    public static string PathFor(string directory, DnsName origin) => Path.Combine(directory, Convert.ToHexString(origin.Wire) + ".json");

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = PathFor(directory, Origin);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(new StoredCopy(RefreshedAt, [.. Records.Select(StoredRecord.From)])));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public static SecondaryCopy? Load(string directory, DnsName origin)
    {
        try
        {
            var path = PathFor(directory, origin);
            if (!File.Exists(path)) return null;
            var stored = JsonSerializer.Deserialize<StoredCopy>(File.ReadAllText(path));
            var records = stored?.Records.Select(r => r.ToRecord($"secondary copy of {origin}")).ToList();
            return records is { Count: > 0 } && records.Any(r => r.Type == DnsType.SOA) ? new SecondaryCopy(origin, records, stored!.RefreshedAt) : null;
        }
        catch (Exception e) when (e is IOException or JsonException or FormatException) { return null; }
    }

    private sealed record StoredCopy(DateTimeOffset RefreshedAt, List<StoredRecord> Records);
}
