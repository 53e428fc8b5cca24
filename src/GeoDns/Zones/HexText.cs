namespace GeoDns.Zones;

/// <summary>Hexadecimal data that may be split over several words (RFC 3597 §5, RFC 6698 §2.2, RFC 4255 §3.1).</summary>
internal static class HexText
{
    public static byte[] Decode(IEnumerable<MasterFileToken> tokens, string what)
    {
        var hex = string.Concat(tokens.Select(t => t.Quoted ? throw new FormatException($"{what} must not be quoted") : t.Text));
        if (!hex.All(char.IsAsciiHexDigit)) throw new FormatException($"{what} '{hex}' is not hexadecimal");
        if (hex.Length % 2 != 0) throw new FormatException($"{what} '{hex}' has an odd number of hex digits");
        return Convert.FromHexString(hex);
    }
}
