using GeoDns.Protocol;

namespace GeoDns.Zones;

/// <summary>One validated zone: every record of one zone file (and its $INCLUDEs), immutable.</summary>
public sealed class Zone(DnsName origin, IReadOnlyList<ResourceRecord> records, string file, DateTimeOffset loadedAt)
{
    public DnsName Origin { get; } = origin;
    public IReadOnlyList<ResourceRecord> Records { get; } = records;
    public string File { get; } = file;
    public DateTimeOffset LoadedAt { get; } = loadedAt;

    /// <summary>
    /// A copy transferred in from a primary (we are its secondary), not a file of ours: address records at a pool's name
    /// are then the primary's answer for that pool (a GeoDns primary transfers its pools as plain records), which the
    /// pool here replaces, rather than a mistake in a zone file.
    /// </summary>
    public bool Transferred { get; init; }

    /// <summary>The SOA serial (first field after the two names of the apex SOA RDATA).</summary>
    public uint Serial
    {
        get
        {
            var soa = Records.First(r => r.Type == DnsType.SOA).Data;
            var offset = RdataNames.Skip(soa, RdataNames.Skip(soa, 0));
            return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(soa.AsSpan(offset));
        }
    }
}
