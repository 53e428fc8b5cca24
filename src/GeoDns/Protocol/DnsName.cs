using System.Text;

namespace GeoDns.Protocol;

/// <summary>
/// An absolute domain name held in canonical form: lowercase, uncompressed wire format
/// (RFC 1035 §3.1). Equality is byte equality of that form, which is DNS's case-insensitive
/// comparison (RFC 4343) for every name we can hold.
/// </summary>
public sealed class DnsName : IEquatable<DnsName>
{
    public const int MaxWireLength = 255;
    public const int MaxLabelLength = 63;

    public static readonly DnsName Root = new([0]);

    private DnsName(byte[] wire) => Wire = wire;

    /// <summary>Lowercase wire form, ending with the root label (a zero byte).</summary>
    public byte[] Wire { get; }

    public bool IsRoot => Wire.Length == 1;

    public int LabelCount
    {
        get
        {
            var count = 0;
            for (var i = 0; Wire[i] != 0; i += Wire[i] + 1) count++;
            return count;
        }
    }

    /// <summary>The name without its leftmost label; the root is its own parent.</summary>
    public DnsName Parent => IsRoot ? this : new DnsName(Wire[(Wire[0] + 1)..]);

    public bool IsWildcard => Wire[0] == 1 && Wire[1] == (byte)'*';

    /// <summary>True when this name equals <paramref name="ancestor"/> or lies below it.</summary>
    public bool IsAtOrBelow(DnsName ancestor)
    {
        var offset = Wire.Length - ancestor.Wire.Length;
        if (offset < 0) return false;
        // The suffix must start on a label boundary, not inside a label.
        for (var i = 0; i < offset; i += Wire[i] + 1)
            if (i + Wire[i] + 1 > offset) return false;
        return Wire.AsSpan(offset).SequenceEqual(ancestor.Wire);
    }

    /// <summary>Prepends one label, e.g. <c>*</c> to make the wildcard child of this name.</summary>
    public DnsName Prepend(string label)
    {
        var bytes = Encoding.Latin1.GetBytes(label);
        LowerAscii(bytes);
        if (bytes.Length is 0 or > MaxLabelLength || Wire.Length + bytes.Length + 1 > MaxWireLength)
            throw new FormatException($"cannot prepend label '{label}' to {this}");
        return new DnsName([(byte)bytes.Length, .. bytes, .. Wire]);
    }

    /// <summary>Replaces the suffix <paramref name="oldSuffix"/> by <paramref name="newSuffix"/> (DNAME, RFC 6672 §2.2).
    /// Returns null when the result would be longer than 255 octets.</summary>
    public DnsName? ReplaceSuffix(DnsName oldSuffix, DnsName newSuffix)
    {
        var keep = Wire.Length - oldSuffix.Wire.Length;
        if (keep + newSuffix.Wire.Length > MaxWireLength) return null;
        return new DnsName([.. Wire.AsSpan(0, keep), .. newSuffix.Wire]);
    }

    /// <summary>Reads a canonical name from uncompressed wire bytes, lowercasing it.</summary>
    public static DnsName FromWire(ReadOnlySpan<byte> wire)
    {
        var copy = wire.ToArray();
        LowerAscii(copy);
        return new DnsName(copy);
    }

    /// <summary>RFC 4343 §3: only ASCII letters have case; octets above 0x7F stay as they are.
    /// (Ascii.ToLowerInPlace would stop at the first such octet.) Length octets are below 'A', so untouched.</summary>
    private static void LowerAscii(Span<byte> bytes)
    {
        foreach (ref var b in bytes)
            if (b is >= (byte)'A' and <= (byte)'Z') b |= 0x20;
    }

    /// <summary>Parses an absolute name in presentation form (trailing dot optional),
    /// with RFC 1035 §5.1 escapes: <c>\.</c>, <c>\\</c> and <c>\DDD</c>.</summary>
    public static DnsName Parse(string text) =>
        TryParse(text, out var name, out var error) ? name : throw new FormatException(error);

    public static bool TryParse(string text, out DnsName name, out string error)
    {
        name = Root;
        error = "";
        if (text is "." or "") return text == "." || Fail(out error, "empty name");
        var wire = new List<byte>(text.Length + 2);
        var labelStart = 0;
        wire.Add(0);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.')
            {
                if (wire.Count - labelStart == 1) return Fail(out error, $"empty label in '{text}'");
                labelStart = wire.Count;
                wire.Add(0);
                continue;
            }
            if (c == '\\')
            {
                if (i + 3 < text.Length && char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 2]) && char.IsAsciiDigit(text[i + 3]))
                {
                    var value = int.Parse(text.AsSpan(i + 1, 3));
                    if (value > 255) return Fail(out error, $"escape \\{value} above 255 in '{text}'");
                    c = (char)value;
                    i += 3;
                }
                else if (i + 1 < text.Length) c = text[++i];
                else return Fail(out error, $"dangling backslash in '{text}'");
            }
            else if (c > 0x7F) return Fail(out error, $"non-ASCII character in '{text}' (use punycode)");
            wire.Add((byte)(char.IsAsciiLetterUpper(c) ? c | 0x20 : c));
            var length = wire.Count - labelStart - 1;
            if (length > MaxLabelLength) return Fail(out error, $"label longer than 63 octets in '{text}'");
            wire[labelStart] = (byte)length;
        }
        if (wire.Count - labelStart > 1) wire.Add(0); // no trailing dot: close the last label
        if (wire.Count > MaxWireLength) return Fail(out error, $"name longer than 255 octets: '{text}'");
        name = new DnsName([.. wire]);
        return true;
    }

    private static bool Fail(out string error, string message)
    {
        error = message;
        return false;
    }

    public bool Equals(DnsName? other) => other is not null && Wire.AsSpan().SequenceEqual(other.Wire);

    public override bool Equals(object? obj) => Equals(obj as DnsName);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Wire);
        return hash.ToHashCode();
    }

    /// <summary>Presentation form with a trailing dot; bytes outside letters, digits, '-', '_' and '*' are escaped.</summary>
    public override string ToString()
    {
        if (IsRoot) return ".";
        var text = new StringBuilder(Wire.Length + 1);
        for (var i = 0; Wire[i] != 0; i += Wire[i] + 1)
        {
            foreach (var b in Wire.AsSpan(i + 1, Wire[i]))
            {
                if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'*') text.Append((char)b);
                else if (b is (byte)'.' or (byte)'\\' or (byte)'"' or (byte)'(' or (byte)')' or (byte)';' or (byte)'@' or (byte)'$') text.Append('\\').Append((char)b);
                else if (b > 0x20 && b < 0x7F) text.Append((char)b);
                else text.Append('\\').Append(b.ToString("D3"));
            }
            text.Append('.');
        }
        return text.ToString();
    }

    public static bool operator ==(DnsName? a, DnsName? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(DnsName? a, DnsName? b) => !(a == b);
}
