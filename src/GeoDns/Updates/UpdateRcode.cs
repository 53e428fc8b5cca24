namespace GeoDns.Updates;

/// <summary>The rcodes of RFC 2136 §2.2 beside the RFC 1035 ones.</summary>
public static class UpdateRcode
{
    public const byte NoError = 0, FormErr = 1, ServFail = 2, NxDomain = 3, NotImp = 4, Refused = 5,
        YxDomain = 6, YxRrset = 7, NxRrset = 8, NotAuth = 9, NotZone = 10;
}
