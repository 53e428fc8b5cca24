namespace GeoDns.Transfer;

/// <summary>A zone we serve as a secondary (RFC 1996, 1995, 5936): pulled from its primaries, signed with a key if given.</summary>
public sealed class SecondaryZoneOptions
{
    public string Zone { get; set; } = "";

    /// <summary>Primaries, ADDR:PORT, tried in order; their NOTIFYs are accepted (with the key, when one is set).</summary>
    public List<string> Primaries { get; set; } = [];

    /// <summary>TSIG key name (from a key file) that signs our SOA queries and transfers, and must sign their NOTIFYs.</summary>
    public string? Key { get; set; }

    /// <summary>A transfer with more records than this is refused and the last good copy kept: a primary cannot fill our memory.</summary>
    public int MaxRecords { get; set; } = DefaultMaxRecords;

    /// <summary>The same for the bytes of the transfer's messages.</summary>
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    public const int DefaultMaxRecords = 1_000_000;
    public const long DefaultMaxBytes = 256L << 20;
}
