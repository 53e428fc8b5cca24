namespace GeoDns.Transfer;

/// <summary>A zone we serve as a secondary (RFC 1996, 1995, 5936): pulled from its primaries, signed with a key if given.</summary>
public sealed class SecondaryZoneOptions
{
    public string Zone { get; set; } = "";

    /// <summary>Primaries, ADDR:PORT, tried in order; their NOTIFYs are accepted (with the key, when one is set).</summary>
    public List<string> Primaries { get; set; } = [];

    /// <summary>TSIG key name (from a key file) that signs our SOA queries and transfers, and must sign their NOTIFYs.</summary>
    public string? Key { get; set; }
}
