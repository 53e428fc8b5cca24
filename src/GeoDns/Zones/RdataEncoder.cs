using GeoDns.Protocol;

namespace GeoDns.Zones;

/// <summary>
/// Encodes the presentation form of RDATA (the words after the type) into wire form. Names are written
/// uncompressed and keep their case (RFC 4343 §4.1); relative names get the origin appended.
/// </summary>
public static class RdataEncoder
{
    /// <summary>Encodes <paramref name="text"/>, e.g. <c>10 mail</c> for MX, or the RFC 3597 form <c>\# 4 C0000201</c>.</summary>
    public static bool TryEncode(ushort type, string text, DnsName origin, out byte[] data, out string error)
    {
        (data, error) = ([], "");
        var entry = new MasterFileTokenizer(text.ReplaceLineEndings(" ")).Entries().FirstOrDefault();
        if (entry?.Error is not null) return Fail(entry.Error, out error);
        var cursor = new TokenCursor(entry?.Tokens ?? [], 1);
        try
        {
            data = cursor.Peek() is { Quoted: false, Text: @"\#" } ? GenericRdata.Parse(type, cursor)
                : RecordTypeName.HasTextForm(type) ? Encode(type, cursor, origin.Wire)
                : throw new FormatException($"type {DnsType.ToString(type)} has no text form here; use \\# len hex");
            return true;
        }
        catch (FormatException e)
        {
            return Fail(e.Message, out error);
        }
    }

    internal static byte[] Encode(ushort type, TokenCursor tokens, byte[] origin)
    {
        var rdata = new RdataBuilder();
        var what = DnsType.ToString(type);
        switch (type)
        {
            case DnsType.A:
                rdata.Bytes(AddressText.V4(tokens.NextWord("A address"), "A address"));
                break;
            case DnsType.AAAA:
                rdata.Bytes(AddressText.V6(tokens.NextWord("AAAA address"), "AAAA address"));
                break;
            case DnsType.NS or DnsType.CNAME or DnsType.DNAME or DnsType.PTR:
                Name(rdata, tokens, origin, $"{what} target");
                break;
            case DnsType.SOA: // RFC 1035 §3.3.13
                Name(rdata, tokens, origin, "SOA primary server");
                Name(rdata, tokens, origin, "SOA mailbox");
                rdata.U32(tokens.NextNumber("SOA serial", uint.MaxValue));
                foreach (var timer in (string[])["refresh", "retry", "expire", "minimum"])
                    rdata.U32(TtlValue.Parse(tokens.NextWord($"SOA {timer}"), $"SOA {timer}"));
                break;
            case DnsType.MX: // RFC 1035 §3.3.9
                rdata.U16((ushort)tokens.NextNumber("MX preference", ushort.MaxValue));
                Name(rdata, tokens, origin, "MX exchange");
                break;
            case DnsType.TXT: // RFC 1035 §3.3.14: one or more character-strings
                CharacterString.Write(rdata, tokens.Next("TXT text"));
                foreach (var token in tokens.Rest()) CharacterString.Write(rdata, token);
                break;
            case DnsType.SRV: // RFC 2782
                rdata.U16((ushort)tokens.NextNumber("SRV priority", ushort.MaxValue));
                rdata.U16((ushort)tokens.NextNumber("SRV weight", ushort.MaxValue));
                rdata.U16((ushort)tokens.NextNumber("SRV port", ushort.MaxValue));
                Name(rdata, tokens, origin, "SRV target");
                break;
            case DnsType.CAA:
                Caa(rdata, tokens);
                break;
            case DnsType.TLSA: // RFC 6698 §2.2
                rdata.U8((byte)tokens.NextNumber("TLSA certificate usage", byte.MaxValue));
                rdata.U8((byte)tokens.NextNumber("TLSA selector", byte.MaxValue));
                rdata.U8((byte)tokens.NextNumber("TLSA matching type", byte.MaxValue));
                rdata.Bytes(HexData(tokens, "TLSA certificate data"));
                break;
            case DnsType.SSHFP: // RFC 4255 §3.1
                rdata.U8((byte)tokens.NextNumber("SSHFP algorithm", byte.MaxValue));
                rdata.U8((byte)tokens.NextNumber("SSHFP fingerprint type", byte.MaxValue));
                rdata.Bytes(HexData(tokens, "SSHFP fingerprint"));
                break;
            case DnsType.SVCB or DnsType.HTTPS: // RFC 9460 §2.2
                rdata.U16((ushort)tokens.NextNumber($"{what} priority", ushort.MaxValue));
                Name(rdata, tokens, origin, $"{what} target");
                SvcParams.Write(rdata, tokens);
                break;
            default:
                throw new FormatException($"type {what} has no text form here; use \\# len hex");
        }
        tokens.ExpectEnd($"{what} data");
        return rdata.ToArray();
    }

    private static void Name(RdataBuilder rdata, TokenCursor tokens, byte[] origin, string what) =>
        rdata.Bytes(PresentationName.ToWire(tokens.NextWord(what), origin, what));

    /// <summary>RFC 8659 §4.1.1: flags, a tag of 1-15 letters and digits, and a value taking the rest of the RDATA.</summary>
    private static void Caa(RdataBuilder rdata, TokenCursor tokens)
    {
        rdata.U8((byte)tokens.NextNumber("CAA flags", byte.MaxValue));
        var tag = tokens.NextWord("CAA tag");
        if (tag.Length is 0 or > 15 || !tag.All(char.IsAsciiLetterOrDigit))
            throw new FormatException($"CAA tag '{tag}' must be 1 to 15 letters or digits (e.g. issue, issuewild, iodef)");
        rdata.U8((byte)tag.Length);
        rdata.Bytes(System.Text.Encoding.ASCII.GetBytes(tag));
        rdata.Bytes(CharacterString.Decode(tokens.Next("CAA value").Text));
    }

    private static byte[] HexData(TokenCursor tokens, string what)
    {
        if (tokens.AtEnd) throw new FormatException($"missing {what}");
        return HexText.Decode(tokens.Rest(), what);
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
