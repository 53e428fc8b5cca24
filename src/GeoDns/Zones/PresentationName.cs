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
        if (text == "@") return origin.ToArray();
        if (text == ".") return [0];
        if (text.Length == 0) throw new FormatException($"{what} is empty");
        var wire = new List<byte>(text.Length + origin.Length + 1) { 0 };
        var labelStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.')
            {
                if (wire.Count - labelStart == 1) throw new FormatException($"{what} '{text}' has an empty label");
                labelStart = wire.Count;
                wire.Add(0);
                continue;
            }
            if (c > 0x7E) throw new FormatException($"{what} '{text}' has a non-ASCII character; write it in punycode (xn--...)");
            wire.Add(c == '\\' ? CharacterString.ReadEscape(text, ref i) : (byte)c);
            var length = wire.Count - labelStart - 1;
            if (length > DnsName.MaxLabelLength) throw new FormatException($"{what} '{text}' has a label longer than 63 octets");
            wire[labelStart] = (byte)length;
        }
        // An unescaped trailing dot left an empty label open: that is the root, so the name is absolute.
        if (wire.Count - labelStart != 1) wire.AddRange(origin);
        if (wire.Count > DnsName.MaxWireLength) throw new FormatException($"{what} '{text}' is longer than 255 octets");
        return [.. wire];
    }

    /// <summary>An owner name: canonical (lowercase) as held by <see cref="DnsName"/>.</summary>
    public static DnsName ToName(string text, ReadOnlySpan<byte> origin, string what) => DnsName.FromWire(ToWire(text, origin, what));
}
