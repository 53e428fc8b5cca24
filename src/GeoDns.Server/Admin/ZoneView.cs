using GeoDns.Zones;

namespace GeoDns.Server.Admin;

/// <summary>A zone being served.</summary>
public sealed record ZoneView(string Origin, uint Serial, int Records, DateTimeOffset LoadedAt, string File)
{
    /// <summary>The serial answered and transferred (see README "Serials"); null without transfers or updates configured.</summary>
    public uint? ServedSerial { get; init; }

    /// <summary>Records added by dynamic update, in zone-file form; null without the exchange.</summary>
    public IReadOnlyList<string>? Dynamic { get; init; }

    /// <summary>
    /// Why the last reload rejected this zone's file: the zone above is then its previous version, still served,
    /// and the edit is not. Empty when the file loaded.
    /// </summary>
    public IReadOnlyList<ZoneError> Errors { get; init; } = [];
}
