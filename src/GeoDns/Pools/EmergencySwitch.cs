using GeoDns.Protocol;

namespace GeoDns.Pools;

/// <summary>
/// An operator's word on a pool, stronger than every edge: while it is on, the pool answers its emergency records
/// (<see cref="Pool.Emergency"/>) instead of its edges, whatever their health. Kept by pool name until turned off.
/// </summary>
public sealed record EmergencySwitch(DateTimeOffset Since, string? Reason)
{
    /// <summary>A pool's name as switches are kept by it: as the config writes it, without the trailing dot.</summary>
    public static string Key(DnsName pool) => pool.ToString().TrimEnd('.');
}
