using System.Buffers.Binary;

namespace GeoDns.Protocol;

/// <summary>
/// Reads a query packet without allocating. Every length is checked against the packet, names
/// in the question may not use compression, and each record is skipped without following
/// pointers, so a hostile packet ends in FORMERR or silence, never a loop or an exception.
/// </summary>
public static class QueryParser
{
    /// <summary>Parses <paramref name="packet"/>; on success <paramref name="nameKey"/> holds the question
    /// name lowercased, in wire form (the form <c>AnswerTable</c> is keyed by).</summary>
    public static QueryStatus Parse(ReadOnlySpan<byte> packet, Span<byte> nameKey, out Query query)
    {
        query = default;
        if (packet.Length < Query.HeaderLength || (packet[2] & 0x80) != 0) return QueryStatus.Drop;
        query.Id = BinaryPrimitives.ReadUInt16BigEndian(packet);
        query.Flags = (byte)(packet[2] & 0x79);
        query.CheckingDisabled = (packet[3] & 0x10) != 0;
        if (query.Opcode != 0) return QueryStatus.NotImp;
        if (BinaryPrimitives.ReadUInt16BigEndian(packet[4..]) != 1) return QueryStatus.FormErr;

        var offset = Query.HeaderLength;
        while (true)
        {
            if (offset >= packet.Length) return QueryStatus.FormErr;
            var length = packet[offset];
            if (length > DnsName.MaxLabelLength) return QueryStatus.FormErr; // a pointer or an extended label type
            var nameLength = offset - Query.HeaderLength + length + 1;
            if (nameLength > DnsName.MaxWireLength || offset + length + 1 > packet.Length) return QueryStatus.FormErr;
            for (var i = offset; i <= offset + length; i++)
            {
                var b = packet[i];
                nameKey[i - Query.HeaderLength] = (byte)(i > offset && b >= 'A' && b <= 'Z' ? b | 0x20 : b);
            }
            offset += length + 1;
            if (length == 0) break;
        }
        query.NameLength = offset - Query.HeaderLength;
        if (offset + 4 > packet.Length) return QueryStatus.FormErr;
        query.Type = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
        query.Class = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
        offset += 4;

        var records = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) + BinaryPrimitives.ReadUInt16BigEndian(packet[8..]);
        var additional = BinaryPrimitives.ReadUInt16BigEndian(packet[10..]);
        for (var i = 0; i < records + additional; i++)
            if (!SkipRecord(packet, ref offset, i >= records, ref query)) return QueryStatus.FormErr;
        return QueryStatus.Ok;
    }

    private static bool SkipRecord(ReadOnlySpan<byte> packet, ref int offset, bool inAdditional, ref Query query)
    {
        var nameStart = offset;
        while (true)
        {
            if (offset >= packet.Length) return false;
            var length = packet[offset];
            if ((length & 0xC0) == 0xC0) { offset += 2; break; }
            if (length > DnsName.MaxLabelLength) return false;
            offset += length + 1;
            if (length == 0) break;
            if (offset - nameStart > DnsName.MaxWireLength) return false;
        }
        if (offset + 10 > packet.Length) return false;
        var type = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
        var dataLength = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 8)..]);
        var dataStart = offset + 10;
        if (dataStart + dataLength > packet.Length) return false;
        offset = dataStart + dataLength;
        if (type == TsigType && inAdditional) query.HasTsig = true;
        if (type != DnsType.OPT) return true;

        // RFC 6891 §6.1.1: one OPT, owned by the root, in the additional section only.
        if (!inAdditional || query.HasOpt || packet[nameStart] != 0) return false;
        query.HasOpt = true;
        query.UdpPayload = BinaryPrimitives.ReadUInt16BigEndian(packet[(nameStart + 3)..]);
        query.EdnsVersion = packet[nameStart + 6];
        query.DnssecOk = (packet[nameStart + 7] & 0x80) != 0;
        return ReadOptions(packet.Slice(dataStart, dataLength), dataStart, ref query);
    }

    private static bool ReadOptions(ReadOnlySpan<byte> options, int offset, ref Query query)
    {
        // Unknown options are ignored (RFC 6891 §6.1.2), but each must fit the RDATA exactly.
        while (options.Length > 0)
        {
            if (options.Length < 4) return false;
            var code = BinaryPrimitives.ReadUInt16BigEndian(options);
            var length = BinaryPrimitives.ReadUInt16BigEndian(options[2..]);
            if (options.Length < 4 + length) return false;
            if (code == EcsOption && !ReadClientSubnet(options.Slice(4, length), ref query)) return false;
            // RFC 7873 §5.2: the responder judges the cookie; one COOKIE option per query (a second is FORMERR, as for ECS).
            if (code == CookieOption)
            {
                if (query.HasCookie) return false;
                (query.CookieOffset, query.CookieLength) = (offset + 4, length);
            }
            if (code == KeepaliveOption) query.Keepalive = length == 0 ? (byte)1 : (byte)2;
            options = options[(4 + length)..];
            offset += 4 + length;
        }
        return true;
    }

    public const ushort EcsOption = 8, CookieOption = 10, KeepaliveOption = 11;
    private const ushort TsigType = 250;

    /// <summary>RFC 7871 §6 and §7.1.2: a malformed ECS option is a FORMERR.</summary>
    private static bool ReadClientSubnet(ReadOnlySpan<byte> option, ref Query query)
    {
        if (query.HasEcs || option.Length < 4) return false;
        var family = BinaryPrimitives.ReadUInt16BigEndian(option);
        var source = option[2];
        var scope = option[3];
        var address = option[4..];
        var maxPrefix = family switch { 1 => 32, 2 => 128, _ => -1 };
        if (maxPrefix < 0 || source > maxPrefix || scope != 0 || address.Length != (source + 7) / 8) return false;
        // Bits past the source prefix must be zero (§6: the address is truncated to SOURCE PREFIX-LENGTH).
        if (source % 8 != 0 && (address[^1] & (0xFF >> (source % 8))) != 0) return false;
        query.EcsFamily = family;
        query.EcsSourcePrefix = source;
        address.CopyTo(query.EcsAddress);
        return true;
    }
}
