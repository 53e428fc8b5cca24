using System.Globalization;

namespace GeoDns.Zones;

/// <summary>
/// Walks the tokens of one entry. <see cref="Line"/> follows the last token read, so an error found
/// inside a parenthesised record points at the line that holds the bad word, not where the record began.
/// Problems are thrown as <see cref="FormatException"/> and turned into a <see cref="ZoneError"/> per record.
/// </summary>
internal sealed class TokenCursor(IReadOnlyList<MasterFileToken> tokens, int line)
{
    private int _index;

    public int Line { get; private set; } = line;

    public bool AtEnd => _index >= tokens.Count;

    public MasterFileToken? Peek() => AtEnd ? null : tokens[_index];

    public MasterFileToken Next(string what)
    {
        if (AtEnd) throw new FormatException($"missing {what}");
        var token = tokens[_index++];
        Line = token.Line;
        return token;
    }

    /// <summary>The next token as an unquoted word (names, numbers, addresses may not be quoted).</summary>
    public string NextWord(string what)
    {
        var token = Next(what);
        if (token.Quoted) throw new FormatException($"{what} \"{token.Text}\" must not be quoted");
        return token.Text;
    }

    public uint NextNumber(string what, uint max)
    {
        var text = NextWord(what);
        if (!text.All(char.IsAsciiDigit) || !ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw new FormatException($"{what} '{text}' is not a number");
        if (value > max) throw new FormatException($"{what} {text} is above {max}");
        return (uint)value;
    }

    public IEnumerable<MasterFileToken> Rest()
    {
        while (!AtEnd) yield return Next("");
    }

    /// <summary>Fails when words are left over, e.g. a third field after an MX record.</summary>
    public void ExpectEnd(string what)
    {
        if (AtEnd) return;
        var extra = Next("");
        throw new FormatException($"unexpected '{extra.Text}' after the {what}");
    }
}
