using GeoDns.Protocol;

namespace GeoDns.Zones;

/// <summary>
/// Record type mnemonics as a master file may use them: the ones <see cref="DnsType"/> knows, plus the other
/// IANA-registered types, which we accept only in the RFC 3597 generic form (<c>\# len hex</c>).
/// </summary>
internal static class RecordTypeName
{
    private static readonly Dictionary<string, ushort> OtherTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["MD"] = 3, ["MF"] = 4, ["MB"] = 7, ["MG"] = 8, ["MR"] = 9, ["NULL"] = 10, ["WKS"] = 11,
        ["HINFO"] = 13, ["MINFO"] = 14, ["RP"] = 17, ["AFSDB"] = 18, ["X25"] = 19, ["ISDN"] = 20,
        ["RT"] = 21, ["NSAP"] = 22, ["NSAP-PTR"] = 23, ["SIG"] = 24, ["KEY"] = 25, ["PX"] = 26,
        ["GPOS"] = 27, ["LOC"] = 29, ["NXT"] = 30, ["EID"] = 31, ["NIMLOC"] = 32, ["ATMA"] = 34,
        ["NAPTR"] = 35, ["KX"] = 36, ["CERT"] = 37, ["A6"] = 38, ["SINK"] = 40, ["APL"] = 42,
        ["IPSECKEY"] = 45, ["RRSIG"] = 46, ["NSEC"] = 47, ["DNSKEY"] = 48, ["DHCID"] = 49,
        ["NSEC3"] = 50, ["NSEC3PARAM"] = 51, ["SMIMEA"] = 53, ["HIP"] = 55, ["NINFO"] = 56,
        ["RKEY"] = 57, ["TALINK"] = 58, ["CDS"] = 59, ["CDNSKEY"] = 60, ["OPENPGPKEY"] = 61,
        ["CSYNC"] = 62, ["ZONEMD"] = 63, ["SPF"] = 99, ["UINFO"] = 100, ["UID"] = 101, ["GID"] = 102,
        ["UNSPEC"] = 103, ["NID"] = 104, ["L32"] = 105, ["L64"] = 106, ["LP"] = 107, ["EUI48"] = 108,
        ["EUI64"] = 109, ["TKEY"] = 249, ["TSIG"] = 250, ["MAILB"] = 253, ["MAILA"] = 254,
        ["URI"] = 256, ["AVC"] = 258, ["DOA"] = 259, ["AMTRELAY"] = 260, ["RESINFO"] = 261,
        ["WALLET"] = 262, ["TA"] = 32768, ["DLV"] = 32769,
    };

    /// <summary>Types whose presentation form <see cref="RdataEncoder"/> understands.</summary>
    public static bool HasTextForm(ushort type) => type is DnsType.A or DnsType.NS or DnsType.CNAME or DnsType.SOA
        or DnsType.PTR or DnsType.MX or DnsType.TXT or DnsType.AAAA or DnsType.SRV or DnsType.DNAME
        or DnsType.SSHFP or DnsType.TLSA or DnsType.SVCB or DnsType.HTTPS or DnsType.CAA;

    /// <summary>Types that only exist in messages, never as zone data: 0 and 65535 are reserved,
    /// OPT is EDNS (RFC 6891 §6.1.1), 128-255 are query and meta types (RFC 6895 §3.1).</summary>
    public static bool IsMeta(ushort type) => type is 0 or DnsType.OPT or (>= 128 and <= 255) or ushort.MaxValue;

    /// <summary>A mnemonic or <c>TYPEnnn</c> (RFC 3597 §5).</summary>
    public static bool TryParse(string text, out ushort type)
    {
        return OtherTypes.TryGetValue(text, out type) || DnsType.TryParse(text, out type);
    }
}
