using GeoDns.Memory;
using GeoDns.Protocol;

namespace GeoDns.Zones;

/// <summary>
/// Makes the records of a zone proper RRsets (RFC 2181 §5): identical records are one record (the first
/// written is kept), and all records of an RRset share the lowest TTL written for it (§5.2 requires equal
/// TTLs; BIND only warns, so we settle on the safe value instead of rejecting).
/// </summary>
internal static class RRsetNormalizer
{
    public static List<ResourceRecord> Normalize(IEnumerable<ResourceRecord> records)
    {
        var seen = new HashSet<Comparable>();
        var unique = records.Paced().Where(r => seen.Add(new Comparable(r.Owner, r.Type, ComparableData(r)))).ToList();
        var lowest = new Dictionary<(DnsName, ushort), uint>();
        foreach (var r in unique.Paced())
            lowest[(r.Owner, r.Type)] = lowest.TryGetValue((r.Owner, r.Type), out var ttl) ? Math.Min(ttl, r.Ttl) : r.Ttl;
        return unique.Paced().Select(r => lowest[(r.Owner, r.Type)] is var ttl && ttl != r.Ttl ? r with { Ttl = ttl } : r).ToList();
    }

    /// <summary>A record as compared for duplicates: the RDATA's bytes themselves, not a string of them.</summary>
    private readonly record struct Comparable(DnsName Owner, ushort Type, byte[] Data)
    {
        public bool Equals(Comparable other) => Owner == other.Owner && Type == other.Type && Data.AsSpan().SequenceEqual(other.Data);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(Owner);
            hash.Add(Type);
            hash.AddBytes(Data);
            return hash.ToHashCode();
        }
    }

    /// <summary>RDATA with its embedded names lowercased, for the types whose names compare case-insensitively
    /// (RFC 4034 §6.2), so <c>NS ns1</c> and <c>NS NS1</c> count as the same record.</summary>
    private static byte[] ComparableData(ResourceRecord record)
    {
        var (start, end) = record.Type == DnsType.SOA
            ? (0, RdataNames.Skip(record.Data, RdataNames.Skip(record.Data, 0)))
            : (RdataNames.TargetOffset(record.Type), record.Data.Length);
        if (start < 0) return record.Data;
        var data = record.Data.ToArray();
        for (var i = start; i < end; i++)
            if (char.IsAsciiLetterUpper((char)data[i])) data[i] |= 0x20;
        return data;
    }
}
