using GeoDns.Protocol;

namespace GeoDns.Zones;

/// <summary>The zones being served, plus what the last reload could not load. Immutable: a reload builds a new one.</summary>
public sealed class ZoneSet(IReadOnlyList<Zone> zones, IReadOnlyList<ZoneError> errors)
{
    public static readonly ZoneSet Empty = new([], []);

    public IReadOnlyList<Zone> Zones { get; } = zones;

    /// <summary>Errors of the reload that made this set; zones named in them kept their previous version.</summary>
    public IReadOnlyList<ZoneError> Errors { get; } = errors;

    /// <summary>The most specific zone whose origin is <paramref name="name"/> or an ancestor of it.</summary>
    public Zone? FindZone(DnsName name)
    {
        Zone? best = null;
        foreach (var zone in Zones)
            if (name.IsAtOrBelow(zone.Origin) && (best is null || zone.Origin.Wire.Length > best.Origin.Wire.Length))
                best = zone;
        return best;
    }
}
