using GeoDns.Protocol;

namespace GeoDns.Zones;

/// <summary>
/// Turns a domain name as written in a master file into uncompressed wire form, keeping the case of every
/// letter (RFC 4343 §4.1: case should be preserved). <c>@</c> is the origin; a name without a trailing dot
/// is relative and gets the origin appended (RFC 1035 §5.1).
/// </summary>
internal static class PresentationName
{
    public static byte[] ToWire(string text, ReadOnlySpan<byte> origin, string what)
    {
        Span<byte> wire = stackalloc byte[DnsName.MaxWireLength];
        return wire[..Write(text, origin, what, wire)].ToArray();
    }

    /// <summary>An owner name: canonical (lowercase) as held by <see cref="DnsName"/>.</summary>
    public static DnsName ToName(string text, ReadOnlySpan<byte> origin, string what)
    {
        // Written on the stack and copied once: a zone load does this for every record.
        Span<byte> wire = stackalloc byte[DnsName.MaxWireLength];
        return DnsName.FromWire(wire[..Write(text, origin, what, wire)]);
    }

    /// <summary>Writes the name into <paramref name="wire"/> (<see cref="DnsName.MaxWireLength"/> octets) and returns its length.</summary>
    private static int Write(string text, ReadOnlySpan<byte> origin, string what, Span<byte> wire)
    {
        if (text == "@")
        {
            origin.CopyTo(wire);
            return origin.Length;
        }
        if (text == ".")
        {
            wire[0] = 0;
            return 1;
        }
        if (text.Length == 0) throw new FormatException($"{what} is empty");
        var count = 1;
        wire[0] = 0;
        var labelStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (count == wire.Length) throw TooLong(what, text);
            if (c == '.')
            {
                if (count - labelStart == 1) throw new FormatException($"{what} '{text}' has an empty label");
                labelStart = count;
                wire[count++] = 0;
                continue;
            }
            if (c > 0x7E) throw new FormatException($"{what} '{text}' has a non-ASCII character; write it in punycode (xn--...)");
            wire[count++] = c == '\\' ? CharacterString.ReadEscape(text, ref i) : (byte)c;
            var length = count - labelStart - 1;
            if (length > DnsName.MaxLabelLength) throw new FormatException($"{what} '{text}' has a label longer than 63 octets");
            wire[labelStart] = (byte)length;
        }
        // An unescaped trailing dot left an empty label open: that is the root, so the name is absolute.
        if (count - labelStart != 1)
        {
            if (count + origin.Length > wire.Length) throw TooLong(what, text);
            origin.CopyTo(wire[count..]);
            count += origin.Length;
        }
        return count;
    }

    private static FormatException TooLong(string what, string text) => new($"{what} '{text}' is longer than 255 octets");
}
