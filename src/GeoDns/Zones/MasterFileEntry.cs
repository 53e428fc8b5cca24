namespace GeoDns.Zones;

/// <summary>
/// One record or directive: the tokens of one line, or of several lines joined by parentheses (RFC 1035 §5.1).
/// <see cref="BlankOwner"/> is set when the entry starts with whitespace, which means "same owner as before".
/// An entry the tokenizer could not read carries an <see cref="Error"/> at <see cref="ErrorLine"/> instead.
/// </summary>
internal sealed record MasterFileEntry(int Line, bool BlankOwner, IReadOnlyList<MasterFileToken> Tokens, string? Error = null, int ErrorLine = 0);
