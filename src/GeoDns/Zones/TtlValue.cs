using System.Globalization;

namespace GeoDns.Zones;

/// <summary>
/// A TTL or SOA timer in seconds, written as a plain number or with BIND's units
/// (<c>1w2d3h4m5s</c>, any case, e.g. <c>1h30m</c>).
/// </summary>
internal static class TtlValue
{
    /// <summary>RFC 2181 §8: a TTL is 32 bits with the top bit zero.</summary>
    public const uint Max = int.MaxValue;

    public static uint Parse(string text, string what)
    {
        if (text.Length > 0 && text.All(char.IsAsciiDigit))
            return Check(ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var plain) ? plain : ulong.MaxValue, text, what);
        ulong total = 0, number = 0;
        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                if (++digits > 10) throw Invalid(text, what);
                number = number * 10 + (ulong)(c - '0');
                continue;
            }
            var unit = char.ToLowerInvariant(c) switch
            {
                's' => 1UL,
                'm' => 60UL,
                'h' => 3600UL,
                'd' => 86400UL,
                'w' => 604800UL,
                _ => throw Invalid(text, what),
            };
            if (digits == 0) throw Invalid(text, what);
            total += number * unit;
            (number, digits) = (0, 0);
        }
        if (digits != 0 || text.Length == 0) throw Invalid(text, what);
        return Check(total, text, what);
    }

    private static uint Check(ulong value, string text, string what) =>
        value <= Max ? (uint)value : throw new FormatException($"{what} {text} is above {Max} seconds (RFC 2181 §8)");

    private static FormatException Invalid(string text, string what) =>
        new($"{what} '{text}' is not a number of seconds or a duration like 1h30m");
}
