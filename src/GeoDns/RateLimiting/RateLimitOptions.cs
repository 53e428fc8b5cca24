namespace GeoDns.RateLimiting;

/// <summary>
/// Response rate limiting (RRL) of UDP replies, with the semantics of Knot, NSD and BIND: a token
/// bucket per client prefix and answer class. Spoofed queries make us answer a victim; RRL caps
/// how much any victim prefix receives. TCP is never limited (its source cannot be spoofed).
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>On by default: a public authoritative server without RRL is an amplifier.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Replies per second per bucket; also the burst (one second's worth). NSD's default: no resolver gets near it.</summary>
    public int ResponsesPerSecond { get; set; } = 200;

    /// <summary>Every Nth limited reply goes out as a minimal TC=1 reply (0: never; 1: every one). NSD and BIND default to 2 (Knot to 1).</summary>
    public int Slip { get; set; } = 2;

    /// <summary>IPv4 clients are grouped by this prefix length (a victim /24 shares one bucket).</summary>
    public int Ipv4PrefixLength { get; set; } = 24;

    /// <summary>IPv6 clients are grouped by this prefix length (a site is usually given a /56 or /48).</summary>
    public int Ipv6PrefixLength { get; set; } = 56;

    /// <summary>Buckets in the table (rounded up to a power of two). Fixed: a flood from a whole /8 recycles
    /// the least recently used buckets instead of growing the table (a reload with another size starts a new,
    /// empty table; any other change keeps the buckets). 65,536 buckets take 2 MB.</summary>
    public int TableSize { get; set; } = 65536;

    /// <summary>Count and log what would be limited, but send every reply: for trying RRL out on a live server.</summary>
    public bool LogOnly { get; set; }

    /// <summary>Client prefixes never limited, e.g. a monitoring host or a partner's resolvers: <c>["192.0.2.0/24", "2001:db8::/48"]</c>.</summary>
    public List<string> Exempt { get; set; } = [];

    /// <summary>The problems with these options, each naming its key (under <c>rrl.</c>); empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ResponsesPerSecond is < 1 or > 1_000_000) errors.Add($"rrl.responsesPerSecond: {ResponsesPerSecond} is not between 1 and 1000000");
        if (Slip is < 0 or > 100) errors.Add($"rrl.slip: {Slip} is not between 0 (never) and 100");
        if (Ipv4PrefixLength is < 8 or > 32) errors.Add($"rrl.ipv4PrefixLength: {Ipv4PrefixLength} is not between 8 and 32");
        if (Ipv6PrefixLength is < 16 or > 64) errors.Add($"rrl.ipv6PrefixLength: {Ipv6PrefixLength} is not between 16 and 64");
        if (TableSize is < 64 or > 1 << 24) errors.Add($"rrl.tableSize: {TableSize} is not between 64 and 16777216");
        for (var i = 0; i < Exempt.Count; i++)
            if (AddressPrefix.TryParse(Exempt[i], out var error) is null) errors.Add($"rrl.exempt[{i}]: {error}");
        return errors;
    }
}
