using GeoDns.Protocol;

namespace GeoDns.Diagnostics;

/// <summary>
/// The small, fixed label sets of the query counters: query types and reply codes map to array
/// indices, so counting is an array increment and every series exists (at 0) from the start.
/// </summary>
public static class QueryLabels
{
    public static readonly string[] Transports = ["udp", "tcp"];

    public static readonly string[] Types =
        ["A", "AAAA", "NS", "CNAME", "SOA", "PTR", "MX", "TXT", "SRV", "DS", "CAA", "SVCB", "HTTPS", "ANY", "other"];

    /// <summary>RCODEs by number 0..15, then BADVERS (16, EDNS), BADCOOKIE (23, RFC 7873), then "none": the query was dropped unanswered.</summary>
    public static readonly string[] Rcodes =
    [
        "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET",
        "NXRRSET", "NOTAUTH", "NOTZONE", "RCODE11", "RCODE12", "RCODE13", "RCODE14", "RCODE15", "BADVERS", "BADCOOKIE", "none",
    ];

    /// <summary>Passed as the rcode of a query that got no reply at all.</summary>
    public const int Dropped = -1;

    public static int TypeIndex(ushort type) => type switch
    {
        DnsType.A => 0,
        DnsType.AAAA => 1,
        DnsType.NS => 2,
        DnsType.CNAME => 3,
        DnsType.SOA => 4,
        DnsType.PTR => 5,
        DnsType.MX => 6,
        DnsType.TXT => 7,
        DnsType.SRV => 8,
        DnsType.DS => 9,
        DnsType.CAA => 10,
        DnsType.SVCB => 11,
        DnsType.HTTPS => 12,
        DnsType.ANY => 13,
        _ => 14,
    };

    public static int RcodeIndex(int rcode) => rcode switch
    {
        >= 0 and <= 16 => rcode,
        23 => 17,
        _ => Rcodes.Length - 1,
    };
}
