using GeoDns.Protocol;

namespace GeoDns.Zones;

/// <summary>
/// The RFC 3597 §5 generic RDATA form <c>\# length hex...</c>, usable for any type. For types whose layout
/// we rely on (addresses, names that answers follow) the octets must have that layout (RFC 3597 §5:
/// data of a known type must be valid for it), so malformed data cannot reach the answering code.
/// </summary>
internal static class GenericRdata
{
    public static byte[] Parse(ushort type, TokenCursor tokens)
    {
        tokens.Next(@"\#");
        var length = tokens.NextNumber(@"\# data length", RdataBuilder.MaxLength);
        var data = HexText.Decode(tokens.Rest(), @"\# data");
        if (data.Length != length)
            throw new FormatException($@"\# data has {data.Length} octets but its length says {length}");
        var problem = Problem(type, data);
        if (problem is not null) throw new FormatException($@"\# data is not a valid {DnsType.ToString(type)} record: {problem}");
        return data;
    }

    private static string? Problem(ushort type, byte[] data) => type switch
    {
        DnsType.A => data.Length == 4 ? null : "an address is 4 octets",
        DnsType.AAAA => data.Length == 16 ? null : "an address is 16 octets",
        DnsType.NS or DnsType.CNAME or DnsType.DNAME or DnsType.PTR => NameEnd(data, 0) == data.Length ? null : "expected one uncompressed name",
        DnsType.MX => data.Length > 2 && NameEnd(data, 2) == data.Length ? null : "expected a preference and one uncompressed name",
        DnsType.SRV => data.Length > 6 && NameEnd(data, 6) == data.Length ? null : "expected priority, weight, port and one uncompressed name",
        DnsType.SOA => NameEnd(data, NameEnd(data, 0)) is var end && end >= 0 && end + 20 == data.Length ? null : "expected two uncompressed names and five 32-bit numbers",
        DnsType.SVCB or DnsType.HTTPS => data.Length > 2 && NameEnd(data, 2) >= 0 ? null : "expected a priority and an uncompressed target name",
        DnsType.TXT => TextEnd(data) ? null : "expected one or more length-prefixed strings",
        _ => null,
    };

    /// <summary>The offset just past a valid uncompressed name at <paramref name="offset"/>, or -1.</summary>
    private static int NameEnd(byte[] data, int offset)
    {
        if (offset < 0) return -1;
        var start = offset;
        while (offset < data.Length && data[offset] is > 0 and <= DnsName.MaxLabelLength) offset += data[offset] + 1;
        if (offset >= data.Length || data[offset] != 0 || offset + 1 - start > DnsName.MaxWireLength) return -1;
        return offset + 1;
    }

    private static bool TextEnd(byte[] data)
    {
        var offset = 0;
        while (offset < data.Length) offset += data[offset] + 1;
        return data.Length > 0 && offset == data.Length;
    }
}
