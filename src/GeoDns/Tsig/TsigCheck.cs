using GeoDns.Protocol;

namespace GeoDns.Tsig;

/// <summary>
/// What <see cref="TsigSigner.Verify"/> found: no TSIG, a valid one (with the key that signed), a failed one
/// (with the TSIG error to answer), or a malformed one (FORMERR). Carries what the reply's TSIG must echo.
/// </summary>
public sealed record TsigCheck(TsigStatus Status, ushort Error, TsigKey? Key, DnsName KeyName, DnsName AlgorithmName, byte[] RequestMac, ulong TimeSigned, ushort Fudge)
{
    public static readonly TsigCheck Unsigned = new(TsigStatus.Unsigned, 0, null, DnsName.Root, DnsName.Root, [], 0, 0);
    public static readonly TsigCheck Malformed = new(TsigStatus.Malformed, 0, null, DnsName.Root, DnsName.Root, [], 0, 0);

    /// <summary>The key a valid request was signed with, else null.</summary>
    public TsigKey? ValidKey => Status == TsigStatus.Valid ? Key : null;
}
