using GeoDns.Zones;

namespace GeoDns.Server.Admin;

/// <summary>
/// The zones served, and every error of the last reload: those of a served zone's file are also on that zone
/// (it keeps its previous version); the others are files not served at all.
/// </summary>
public sealed record ZonesView(IReadOnlyList<ZoneView> Zones, IReadOnlyList<ZoneError> Errors)
{
    /// <summary>The zones we are secondary for, served or not, with how their refreshing goes; null without the exchange.</summary>
    public IReadOnlyList<SecondaryView>? Secondaries { get; init; }

    /// <summary>When the zone files were last read with every one loaded, at start or a reload (null: not since the start).</summary>
    public DateTimeOffset? ReloadedAt { get; init; }

    /// <summary>When a read of the zone files last left one out, its zone kept at its previous version (null: not since the start).</summary>
    public DateTimeOffset? ReloadFailedAt { get; init; }
}
