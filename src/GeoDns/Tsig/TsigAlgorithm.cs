namespace GeoDns.Tsig;

/// <summary>The TSIG MAC algorithms we accept (RFC 8945 §6: hmac-sha256 is mandatory to implement).</summary>
public enum TsigAlgorithm
{
    HmacSha256,
    HmacSha512,
}
