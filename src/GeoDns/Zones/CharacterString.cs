using System.Text;

namespace GeoDns.Zones;

/// <summary>
/// Decodes the text of a token into octets (RFC 1035 §5.1): <c>\DDD</c> is the octet with that decimal
/// value, <c>\X</c> is X itself, and any other character is its UTF-8 encoding.
/// </summary>
internal static class CharacterString
{
    /// <summary>RFC 1035 §3.3: a character-string is one length octet and at most 255 octets.</summary>
    public const int MaxLength = 255;

    public static byte[] Decode(string text)
    {
        var bytes = new List<byte>(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                bytes.Add(ReadEscape(text, ref i));
                continue;
            }
            var count = char.IsSurrogatePair(text, i)
                ? Encoding.UTF8.GetBytes(text.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(text.AsSpan(i, 1), utf8);
            bytes.AddRange(utf8[..count]);
        }
        return [.. bytes];
    }

    /// <summary>Decodes the escape whose backslash is at <paramref name="i"/>, leaving <paramref name="i"/> on its last character.</summary>
    public static byte ReadEscape(string text, ref int i)
    {
        if (i + 1 >= text.Length) throw new FormatException($"'{text}' ends with a lone backslash");
        if (!char.IsAsciiDigit(text[i + 1]))
        {
            var c = text[++i];
            if (c > 0x7F) throw new FormatException($"escaped non-ASCII character in '{text}'");
            return (byte)c;
        }
        if (i + 3 >= text.Length || !char.IsAsciiDigit(text[i + 2]) || !char.IsAsciiDigit(text[i + 3]))
            throw new FormatException($"escape in '{text}' needs exactly three digits (\\DDD)");
        var value = (text[i + 1] - '0') * 100 + (text[i + 2] - '0') * 10 + (text[i + 3] - '0');
        if (value > 255) throw new FormatException($"escape \\{text.Substring(i + 1, 3)} in '{text}' is above 255");
        i += 3;
        return (byte)value;
    }

    /// <summary>Writes the token as one length-prefixed character-string.</summary>
    public static void Write(RdataBuilder rdata, MasterFileToken token)
    {
        var bytes = Decode(token.Text);
        if (bytes.Length > MaxLength)
            throw new FormatException($"string of {bytes.Length} octets is longer than 255; split it into several strings");
        rdata.U8((byte)bytes.Length);
        rdata.Bytes(bytes);
    }
}
