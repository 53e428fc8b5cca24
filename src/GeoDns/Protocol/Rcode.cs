namespace GeoDns.Protocol;

/// <summary>
/// Response codes, the one table (IANA "DNS RCODEs"): the header's four bits (RFC 1035 §4.1.1, RFC 2136 §2.2 for
/// YXRRSET to NOTZONE, RFC 6672 for YXDOMAIN) and the extended ones, which live in the OPT record (BADVERS, RFC 6891
/// §9; BADCOOKIE, RFC 7873 §8) or the TSIG record's error field (RFC 8945 §3; the header then says NOTAUTH).
/// BADSIG and BADVERS share 16: which one is meant depends on the record that carries it.
/// </summary>
public static class Rcode
{
    public const byte NoError = 0, FormErr = 1, ServFail = 2, NxDomain = 3, NotImp = 4, Refused = 5,
        YxDomain = 6, YxRrset = 7, NxRrset = 8, NotAuth = 9, NotZone = 10;

    /// <summary>In the OPT record.</summary>
    public const int BadVers = 16, BadCookie = 23;

    /// <summary>In the TSIG record's error field.</summary>
    public const ushort BadSig = 16, BadKey = 17, BadTime = 18, BadTrunc = 22;
}
