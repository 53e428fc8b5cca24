namespace GeoDns.Cookies;

/// <summary>What a query's COOKIE option (RFC 7873 §5.2) turned out to be.</summary>
public enum CookieCheck : byte
{
    /// <summary>No COOKIE option (or cookies are off).</summary>
    None,
    /// <summary>A COOKIE option of an impossible length (RFC 7873 §5.2.2): FORMERR.</summary>
    Malformed,
    /// <summary>A client cookie alone: the client has not learned our server cookie yet (§5.2.3).</summary>
    ClientOnly,
    /// <summary>A server cookie we did not make for this client, or one that expired (§5.2.4): over UDP, BADCOOKIE.</summary>
    Invalid,
    /// <summary>A server cookie we made for this client and address within the hour: the source address is real.</summary>
    Valid,
}
