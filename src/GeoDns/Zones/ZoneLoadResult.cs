namespace GeoDns.Zones;

/// <summary>A parsed and validated zone, or the errors that rejected it (never both).</summary>
public sealed record ZoneLoadResult(Zone? Zone, IReadOnlyList<ZoneError> Errors)
{
    /// <summary>The files the zone file <c>$INCLUDE</c>s (full paths), whether or not they could be read.</summary>
    public IReadOnlyList<string> Includes { get; init; } = [];

    public bool Ok => Zone is not null;
}
