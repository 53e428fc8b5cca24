namespace GeoDns.Transfer;

/// <summary>A zone we serve as a secondary (RFC 1996, 1995, 5936): pulled from its primaries, signed with a key if given.</summary>
public sealed class SecondaryZoneOptions
{
    public string Zone { get; set; } = "";

    /// <summary>Primaries, ADDR:PORT, tried in order; their NOTIFYs are accepted (with the key, when one is set).</summary>
    public List<string> Primaries { get; set; } = [];

    /// <summary>TSIG key name (from a key file) that signs our SOA queries and transfers, and must sign their NOTIFYs.</summary>
    public string? Key { get; set; }

    /// <summary>
    /// A transfer with more records than this, or one that would leave the zone with more (after an IXFR's steps), is
    /// refused and the last good copy kept: a primary cannot fill our memory, at once or one IXFR at a time.
    /// </summary>
    public int MaxRecords { get; set; } = DefaultMaxRecords;

    /// <summary>The same for bytes: the transfer's messages, and the zone's records after it (uncompressed).</summary>
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    public const int DefaultMaxRecords = 1_000_000;
    public const long DefaultMaxBytes = 256L << 20;
}
