using System.Buffers.Binary;
using GeoDns.Protocol;

namespace GeoDns.Zones;

/// <summary>
/// Whether wire RDATA has the layout of its type, for the types whose text form the zone files read (RFC 3597 §5:
/// data of a known type must be valid for it). Used where RDATA arrives as octets: the <c>\#</c> form of a zone file
/// and records added by dynamic update, which would otherwise be stored, served and sent on by IXFR to secondaries
/// that parse them (BIND and Knot refuse a transfer holding one malformed record). Other types stay opaque, as in
/// the zone files.
/// </summary>
public static class RdataLayout
{
    /// <summary>Why <paramref name="data"/> is not a valid <paramref name="type"/> record, or null when it is.</summary>
    public static string? Problem(ushort type, ReadOnlySpan<byte> data) => type switch
    {
        DnsType.A => data.Length == 4 ? null : "an address is 4 octets",
        DnsType.AAAA => data.Length == 16 ? null : "an address is 16 octets",
        DnsType.NS or DnsType.CNAME or DnsType.DNAME or DnsType.PTR => NameEnd(data, 0) == data.Length ? null : "expected one uncompressed name",
        DnsType.MX => data.Length > 2 && NameEnd(data, 2) == data.Length ? null : "expected a preference and one uncompressed name",
        DnsType.SRV => data.Length > 6 && NameEnd(data, 6) == data.Length ? null : "expected priority, weight, port and one uncompressed name",
        DnsType.SOA => NameEnd(data, NameEnd(data, 0)) is var end && end >= 0 && end + 20 == data.Length ? null : "expected two uncompressed names and five 32-bit numbers",
        DnsType.SVCB or DnsType.HTTPS => data.Length > 2 && ParamsFit(data, NameEnd(data, 2)) ? null : "expected a priority, an uncompressed target name and SvcParams in increasing key order",
        DnsType.TXT => TextFits(data) ? null : "expected one or more length-prefixed strings",
        DnsType.CAA => CaaFits(data) ? null : "expected flags, a tag of 1 to 15 letters or digits, and a value",
        DnsType.TLSA => data.Length > 3 ? null : "expected usage, selector, matching type and certificate data",
        DnsType.SSHFP => data.Length > 2 ? null : "expected algorithm, fingerprint type and fingerprint",
        _ => null,
    };

    /// <summary>The offset just past a valid uncompressed name at <paramref name="offset"/>, or -1.</summary>
    private static int NameEnd(ReadOnlySpan<byte> data, int offset)
    {
        if (offset < 0) return -1;
        var start = offset;
        while (offset < data.Length && data[offset] is > 0 and <= DnsName.MaxLabelLength) offset += data[offset] + 1;
        if (offset >= data.Length || data[offset] != 0 || offset + 1 - start > DnsName.MaxWireLength) return -1;
        return offset + 1;
    }

    /// <summary>RFC 1035 §3.3.14: one or more length-prefixed strings, the last ending where the data ends.</summary>
    private static bool TextFits(ReadOnlySpan<byte> data)
    {
        var offset = 0;
        while (offset < data.Length) offset += data[offset] + 1;
        return data.Length > 0 && offset == data.Length;
    }

    /// <summary>RFC 9460 §2.2: key, length, value, keys strictly increasing, the last value ending with the data.</summary>
    private static bool ParamsFit(ReadOnlySpan<byte> data, int offset)
    {
        if (offset < 0) return false;
        var previous = -1;
        while (offset < data.Length)
        {
            if (offset + 4 > data.Length) return false;
            var key = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            if (key <= previous || offset + 4 + length > data.Length) return false;
            (previous, offset) = (key, offset + 4 + length);
        }
        return true;
    }

    /// <summary>RFC 8659 §4.1.1: flags, a tag of 1-15 letters and digits, the value taking the rest.</summary>
    private static bool CaaFits(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2 || data[1] is 0 or > 15 || 2 + data[1] > data.Length) return false;
        foreach (var c in data.Slice(2, data[1]))
            if (!char.IsAsciiLetterOrDigit((char)c)) return false;
        return true;
    }
}
