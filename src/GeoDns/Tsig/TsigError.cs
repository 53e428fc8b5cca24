namespace GeoDns.Tsig;

/// <summary>The TSIG RR's error field (RFC 8945 §3, IANA "DNS RCODEs"); the header then says NOTAUTH.</summary>
public static class TsigError
{
    public const ushort None = 0, BadSig = 16, BadKey = 17, BadTime = 18, BadTrunc = 22;

    /// <summary>RFC 8945 §5.2: every TSIG failure is answered with this header rcode.</summary>
    public const byte NotAuth = 9;
}
