namespace GeoDns.Zones;

/// <summary>
/// One word of a master file. <see cref="Text"/> keeps backslash escapes as written (RFC 1035 §5.1) so that
/// names and character-strings can each decode them their own way; quote characters are removed.
/// </summary>
internal readonly record struct MasterFileToken(string Text, bool Quoted, int Line)
{
    /// <summary>True for the unquoted word <paramref name="text"/>, compared ignoring ASCII case.</summary>
    public bool Is(string text) => !Quoted && Text.Equals(text, StringComparison.OrdinalIgnoreCase);
}
