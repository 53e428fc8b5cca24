using GeoDns.Sidecar.Check;

namespace GeoDns.Sidecar.Admin;

/// <summary>
/// What the sidecar reads of a nameserver's <c>GET /v1/zones</c>: each zone served with the SOA serial it answers, and when
/// its zone files last loaded and last failed to (null: not since its start, or a server that does not say).
/// </summary>
public sealed record NameserverZones(IReadOnlyList<NameserverZones.Served> Zones, DateTimeOffset? ReloadedAt, DateTimeOffset? ReloadFailedAt)
{
    /// <param name="Origin">Without the trailing dot.</param>
    public sealed record Served(string Origin, uint? Serial);

    /// <summary><paramref name="zone"/> (<c>check.zone</c>) when given, else the longest zone served that holds <paramref name="pool"/>: the delegated one.</summary>
    public Served? Holding(string pool, string? zone) => string.IsNullOrWhiteSpace(zone)
        ? Zones.Where(z => ZoneApex.Within(pool, z.Origin)).MaxBy(z => z.Origin.Length)
        : Zones.FirstOrDefault(z => z.Origin.Equals(zone.TrimEnd('.'), StringComparison.OrdinalIgnoreCase));
}
