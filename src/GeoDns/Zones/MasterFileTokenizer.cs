using System.Text;

namespace GeoDns.Zones;

/// <summary>
/// Splits master-file text into entries (RFC 1035 §5.1): words separated by blanks, <c>;</c> comments,
/// parentheses that let one entry span lines, quoted strings, and backslash escapes that stop a
/// blank, quote, parenthesis or semicolon from having its special meaning.
/// </summary>
internal sealed class MasterFileTokenizer(string text)
{
    private int _position;
    private int _line = 1;
    private readonly StringBuilder _word = new(); // one for every word of the file

    public IEnumerable<MasterFileEntry> Entries()
    {
        var tokens = new List<MasterFileToken>();
        int entryLine = 1, openLine = 0;
        var blankOwner = false;
        string? error = null;
        var errorLine = 0;
        while (_position < text.Length)
        {
            if (openLine == 0)
            {
                entryLine = _line;
                blankOwner = text[_position] is ' ' or '\t';
            }
            var lineError = ReadLine(tokens, ref openLine, out var lineErrorLine);
            if (error is null && lineError is not null) (error, errorLine) = (lineError, lineErrorLine);
            if (_position < text.Length) _position++; // the '\n'
            if (openLine == 0 && (tokens.Count > 0 || error is not null))
            {
                yield return new MasterFileEntry(entryLine, blankOwner, [.. tokens], error, errorLine);
                tokens.Clear();
                error = null;
            }
            _line++;
        }
        if (openLine != 0)
            yield return new MasterFileEntry(entryLine, blankOwner, [.. tokens], error ?? $"'(' opened on line {openLine} is never closed", error is null ? openLine : errorLine);
    }

    /// <summary>Reads the words of one physical line; returns an error message, or null.</summary>
    private string? ReadLine(List<MasterFileToken> tokens, ref int openLine, out int errorLine)
    {
        errorLine = _line;
        while (_position < text.Length && text[_position] != '\n')
        {
            switch (text[_position])
            {
                case ' ' or '\t' or '\r':
                    _position++;
                    break;
                case ';':
                    while (_position < text.Length && text[_position] != '\n') _position++;
                    break;
                case '(':
                    if (openLine != 0) return SkipLine($"nested '(' (the one from line {openLine} is still open)");
                    openLine = _line;
                    _position++;
                    break;
                case ')':
                    if (openLine == 0) return SkipLine("')' without a matching '('");
                    openLine = 0;
                    _position++;
                    break;
                default:
                    var word = ReadWord(out var quoted);
                    if (word is null) return SkipLine("quoted string is not closed on this line");
                    tokens.Add(new MasterFileToken(word, quoted, _line));
                    break;
            }
        }
        return null;
    }

    /// <summary>Reads one word, joining quoted parts such as <c>alpn="h2,h3"</c> (RFC 9460 §2.1) into it.
    /// Returns null when a quote is left open at the end of the line.</summary>
    private string? ReadWord(out bool quoted)
    {
        var word = _word.Clear();
        quoted = false;
        while (_position < text.Length)
        {
            var c = text[_position];
            if (c == '"')
            {
                quoted = true;
                _position++;
                while (_position < text.Length && text[_position] is not ('"' or '\n'))
                    AppendChar(word);
                if (_position >= text.Length || text[_position] == '\n') return null;
                _position++;
                continue;
            }
            if (c is ' ' or '\t' or '\r' or '\n' or ';' or '(' or ')') break;
            AppendChar(word);
        }
        return word.ToString();
    }

    /// <summary>Copies one character, or a backslash and the character it escapes (kept for later decoding).</summary>
    private void AppendChar(StringBuilder word)
    {
        if (text[_position] == '\\' && _position + 1 < text.Length && text[_position + 1] != '\n')
            word.Append(text[_position++]);
        word.Append(text[_position++]);
    }

    private string SkipLine(string message)
    {
        while (_position < text.Length && text[_position] != '\n') _position++;
        return message;
    }
}
