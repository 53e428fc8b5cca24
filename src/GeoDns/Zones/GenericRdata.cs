using GeoDns.Protocol;

namespace GeoDns.Zones;

/// <summary>
/// The RFC 3597 §5 generic RDATA form <c>\# length hex...</c>, usable for any type. For types whose text form we
/// read, the octets must have that type's layout (see <see cref="RdataLayout"/>), so malformed data cannot reach the
/// answering code.
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
        var problem = RdataLayout.Problem(type, data);
        if (problem is not null) throw new FormatException($@"\# data is not a valid {DnsType.ToString(type)} record: {problem}");
        return data;
    }
}
