using GeoDns.Cookies;
using GeoDns.RateLimiting;

namespace GeoDns.Answering;

/// <summary>
/// The RRL and DNS Cookie settings in force, as one value: after a reload with a bad value these are the last good
/// ones, not the file's. Null turns the defence off. The snapshot carries it, so what the admin shows of the defences
/// is of the same generation as everything else; the limiter's buckets and the cookie secrets are live state, not policy.
/// </summary>
public sealed record DefencePolicy(RateLimitOptions? Rrl, DnsCookieOptions? Cookies)
{
    public static readonly DefencePolicy Off = new(null, null);
}
