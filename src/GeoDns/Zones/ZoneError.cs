namespace GeoDns.Zones;

/// <summary>Why a zone file was rejected, pointing at the file and line to fix.
/// <see cref="Line"/> is 0 for problems of the whole file, such as a missing SOA.</summary>
public sealed record ZoneError(string File, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}
