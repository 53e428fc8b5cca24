namespace GeoDns.Zones;

/// <summary>Why a zone file was rejected, pointing at the file and line to fix.</summary>
public sealed record ZoneError(string File, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}
