namespace GeoDns.Protocol;

/// <summary>Record type numbers (IANA "Resource Record (RR) TYPEs") and their mnemonics.</summary>
public static class DnsType
{
    public const ushort A = 1, NS = 2, CNAME = 5, SOA = 6, PTR = 12, MX = 15, TXT = 16, AAAA = 28,
        SRV = 33, DNAME = 39, OPT = 41, DS = 43, SSHFP = 44, TLSA = 52, SVCB = 64, HTTPS = 65,
        IXFR = 251, AXFR = 252, ANY = 255, CAA = 257;

    private static readonly Dictionary<string, ushort> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["A"] = A, ["NS"] = NS, ["CNAME"] = CNAME, ["SOA"] = SOA, ["PTR"] = PTR, ["MX"] = MX,
        ["TXT"] = TXT, ["AAAA"] = AAAA, ["SRV"] = SRV, ["DNAME"] = DNAME, ["OPT"] = OPT, ["DS"] = DS,
        ["SSHFP"] = SSHFP, ["TLSA"] = TLSA, ["SVCB"] = SVCB, ["HTTPS"] = HTTPS, ["IXFR"] = IXFR,
        ["AXFR"] = AXFR, ["ANY"] = ANY, ["CAA"] = CAA,
    };

    private static readonly Dictionary<ushort, string> ByNumber = ByName.ToDictionary(p => p.Value, p => p.Key);

    /// <summary>Parses a mnemonic or the RFC 3597 form <c>TYPE65280</c>.</summary>
    public static bool TryParse(string text, out ushort type)
    {
        if (ByName.TryGetValue(text, out type)) return true;
        // Digits only: the default number style would also take "TYPE+1" or "TYPE 1".
        return text.StartsWith("TYPE", StringComparison.OrdinalIgnoreCase)
            && ushort.TryParse(text.AsSpan(4), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out type);
    }

    public static string ToString(ushort type) => ByNumber.TryGetValue(type, out var name) ? name : $"TYPE{type}";
}
