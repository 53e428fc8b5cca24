namespace GeoDns.Server;

/// <summary>
/// When the zone files were last read with every one loaded (at start or a reload), and when a read last left one out
/// (its zone then keeps its previous version); null: not since the start. Zones we are secondary for are not files: not here.
/// </summary>
public sealed record ZoneReloads(DateTimeOffset? Loaded, DateTimeOffset? Failed)
{
    public static readonly ZoneReloads None = new(null, null);

    /// <summary>After a read of the zone files at <paramref name="at"/> that had <paramref name="errors"/> errors.</summary>
    public ZoneReloads After(int errors, DateTimeOffset at) => errors == 0 ? this with { Loaded = at } : this with { Failed = at };
}
