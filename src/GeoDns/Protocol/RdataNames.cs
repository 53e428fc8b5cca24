namespace GeoDns.Protocol;

/// <summary>Where domain names sit inside the RDATA of the types whose names we compress or follow.</summary>
public static class RdataNames
{
    /// <summary>Offset of the name a record points at (NS/CNAME/DNAME/PTR target, MX exchange, SRV target), or -1.</summary>
    public static int TargetOffset(ushort type) => type switch
    {
        DnsType.NS or DnsType.CNAME or DnsType.DNAME or DnsType.PTR => 0,
        DnsType.MX => 2,
        DnsType.SRV => 6,
        _ => -1,
    };

    /// <summary>RFC 3597 §4: only the RFC 1035 types may have their RDATA names compressed.</summary>
    public static bool IsCompressible(ushort type) =>
        type is DnsType.NS or DnsType.CNAME or DnsType.SOA or DnsType.PTR or DnsType.MX;

    /// <summary>Returns the offset just past the uncompressed name starting at <paramref name="offset"/>.</summary>
    public static int Skip(ReadOnlySpan<byte> data, int offset)
    {
        while (data[offset] != 0) offset += data[offset] + 1;
        return offset + 1;
    }

    /// <summary>The target name of a record (see <see cref="TargetOffset"/>), or null for other types.</summary>
    public static DnsName? Target(ResourceRecord record)
    {
        var offset = TargetOffset(record.Type);
        return offset < 0 ? null : DnsName.FromWire(record.Data.AsSpan(offset, Skip(record.Data, offset) - offset));
    }
}
