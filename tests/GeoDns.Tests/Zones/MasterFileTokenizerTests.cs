using GeoDns.Zones;

namespace GeoDns.Tests.Zones;

public class MasterFileTokenizerTests
{
    private static List<MasterFileEntry> Entries(string text) => [.. new MasterFileTokenizer(text).Entries()];

    private static string[] Words(MasterFileEntry entry) => [.. entry.Tokens.Select(t => t.Text)];

    [Fact]
    public void Tokenize_CommentsAndBlankLines_AreSkipped()
    {
        var entries = Entries("; header\n\nwww A 192.0.2.1 ; web\n   ; indented comment\n");
        var entry = Assert.Single(entries);
        Assert.Equal(["www", "A", "192.0.2.1"], Words(entry));
        Assert.Equal(3, entry.Line);
    }

    [Fact]
    public void Tokenize_LeadingWhitespace_MarksBlankOwner()
    {
        var entries = Entries("www A 192.0.2.1\n\tAAAA ::1\n  TXT x\n");
        Assert.Equal([false, true, true], entries.Select(e => e.BlankOwner));
    }

    [Fact]
    public void Tokenize_Parentheses_JoinLinesIntoOneEntryAtItsFirstLine()
    {
        var entries = Entries("a A 192.0.2.1\n@ SOA ns1 host (\n  1 ; serial\n  2 3\n  4 5 )\nb A 192.0.2.2\n");
        Assert.Equal(3, entries.Count);
        Assert.Equal(["@", "SOA", "ns1", "host", "1", "2", "3", "4", "5"], Words(entries[1]));
        Assert.Equal(2, entries[1].Line);
        Assert.Equal([2, 2, 2, 2, 3, 4, 4, 5, 5], entries[1].Tokens.Select(t => t.Line));
        Assert.Equal(6, entries[2].Line);
    }

    [Fact]
    public void Tokenize_QuotedString_KeepsBlanksSemicolonsAndEscapes()
    {
        var entry = Assert.Single(Entries("t TXT \"a b; (c)\" \"say \\\"hi\\\"\" \"\"\n"));
        Assert.Equal(["t", "TXT", "a b; (c)", "say \\\"hi\\\"", ""], Words(entry));
        Assert.Equal([false, false, true, true, true], entry.Tokens.Select(t => t.Quoted));
    }

    [Fact]
    public void Tokenize_EscapedBlankAndSemicolon_StayInTheWord()
    {
        var entry = Assert.Single(Entries("t TXT a\\ b\\;c\\059 ; comment\n"));
        Assert.Equal(["t", "TXT", "a\\ b\\;c\\059"], Words(entry));
    }

    [Fact]
    public void Tokenize_QuotedValueInsideWord_IsJoined()
    {
        var entry = Assert.Single(Entries("s HTTPS 1 . alpn=\"h2,h3\" port=443\n"));
        Assert.Equal(["s", "HTTPS", "1", ".", "alpn=h2,h3", "port=443"], Words(entry));
    }

    [Fact]
    public void Tokenize_UnclosedQuote_IsErrorOnItsLine()
    {
        var entries = Entries("a A 192.0.2.1\nt TXT \"open\nb A 192.0.2.2\n");
        Assert.Equal(3, entries.Count);
        Assert.Equal("quoted string is not closed on this line", entries[1].Error);
        Assert.Equal(2, entries[1].ErrorLine);
        Assert.Null(entries[2].Error);
    }

    [Fact]
    public void Tokenize_UnclosedParenthesis_IsErrorAtTheOpeningLine()
    {
        var entry = Assert.Single(Entries("a A 192.0.2.1\n@ SOA ns1 host (\n 1 2 3 4 5\n"), e => e.Error is not null);
        Assert.Equal("'(' opened on line 2 is never closed", entry.Error);
        Assert.Equal(2, entry.ErrorLine);
    }

    [Fact]
    public void Tokenize_StrayClosingParenthesis_IsError()
    {
        var entry = Assert.Single(Entries("a A 192.0.2.1 )\n"));
        Assert.Equal("')' without a matching '('", entry.Error);
    }

    [Fact]
    public void Tokenize_CrLfLineEnds_AreBlanks()
    {
        var entries = Entries("a A 192.0.2.1\r\n\tTXT x\r\n");
        Assert.Equal(["a", "A", "192.0.2.1"], Words(entries[0]));
        Assert.Equal(["TXT", "x"], Words(entries[1]));
    }
}
