namespace GeoDns.Answering;

/// <summary>Response codes (RFC 1035 §4.1.1, RFC 6891 §9 for BADVERS, RFC 7873 §8 for BADCOOKIE, RFC 6672 for YXDOMAIN).</summary>
public static class Rcode
{
    public const byte NoError = 0, FormErr = 1, ServFail = 2, NxDomain = 3, NotImp = 4, Refused = 5, YxDomain = 6;
    public const int BadVers = 16, BadCookie = 23;
}
