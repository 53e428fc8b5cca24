namespace GeoDns.Protocol;

/// <summary>
/// Where a record came from: a file and line, or a free text ("synthesized from DNAME"; a config key) with no line.
/// A value, not a string made per record: a 100,000-record zone shares one file name and keeps no text per record.
/// </summary>
public readonly record struct RecordSource(string Where, int Line = 0)
{
    public override string ToString() => Line > 0 ? $"{Where}:{Line}" : Where ?? "";
}
