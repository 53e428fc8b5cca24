namespace GeoDns.Zones;

/// <summary>A parsed and validated zone, or the errors that rejected it (never both).</summary>
public sealed record ZoneLoadResult(Zone? Zone, IReadOnlyList<ZoneError> Errors)
{
    public bool Ok => Zone is not null;
}
