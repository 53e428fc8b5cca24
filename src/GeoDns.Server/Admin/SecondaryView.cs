using GeoDns.Transfer;

namespace GeoDns.Server.Admin;

/// <summary>
/// A zone we are secondary for: the copy served (null serial when none: never transferred, or expired), and how
/// refreshing goes. <c>failures</c> counts failed refreshes in a row (a copy not stored is one), 0 after a success;
/// <c>rejected</c> the transfers refused since start for breaking the zone's rules or a cap (<c>lastError</c> says why).
/// </summary>
public sealed record SecondaryView(string Zone, IReadOnlyList<string> Primaries, uint? Serial, DateTimeOffset? RefreshedAt, DateTimeOffset? ExpiresAt,
    int Failures, string? LastError, DateTimeOffset? LastErrorAt, DateTimeOffset? LastSuccessAt, DateTimeOffset? NextAttemptAt, string? LoadDamage, long Rejected)
{
    public static SecondaryView Of(SecondaryZone zone)
    {
        var (copy, status) = (zone.Copy, zone.Status);
        return new(zone.Origin.ToString(), [.. zone.Primaries.Select(p => p.ToString())], copy?.Serial, copy?.RefreshedAt, copy?.ExpiresAt,
            status.Failures, status.LastError, status.LastErrorAt, status.LastSuccessAt, status.NextAttemptAt, status.LoadDamage, status.Rejected);
    }
}
