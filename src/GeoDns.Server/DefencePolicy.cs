using GeoDns.Cookies;
using GeoDns.RateLimiting;

namespace GeoDns.Server;

/// <summary>
/// The RRL and DNS Cookie settings in force, as one value: after a reload with a bad value these are the last good
/// ones, not the file's. Null turns the defence off.
/// </summary>
public sealed record DefencePolicy(RateLimitOptions? Rrl, DnsCookieOptions? Cookies)
{
    public static readonly DefencePolicy Off = new(null, null);
}
