using GeoDns.Health;

namespace GeoDns.Pools;

/// <summary>A pooled name as configured: its edges, how they are probed, and what to answer when all are down.</summary>
public sealed class PoolOptions
{
    /// <summary>The owner name answered from the pool, inside a served zone, e.g. "app.example.com".</summary>
    public string Name { get; set; } = "";
    public List<EdgeOptions> Edges { get; set; } = [];
    public ProbeSettings Probe { get; set; } = new();
    public const uint DefaultDegradedTtl = 5;

    public uint Ttl { get; set; } = 30;
    /// <summary>
    /// The TTL while the pool is degraded (an edge Suspect, Down or not yet probed, or answering by
    /// allDown): resolvers come back soon for the recovered or replacement edge. 1 to <see cref="Ttl"/>;
    /// unset: 5 s, or the TTL if that is shorter.
    /// </summary>
    public uint? DegradedTtl { get; set; }
    /// <summary>How many edges an answer holds: the k nearest healthy ones for the client's location.</summary>
    public int Answers { get; set; } = 2;
    /// <summary>Country (e.g. "DE") or continent (e.g. "EU") → edge names in order of preference; overrides distance.</summary>
    public Dictionary<string, List<string>> Regions { get; set; } = [];
    /// <summary><c>all</c> (fail open with every edge, logged loudly), <c>none</c> (NODATA) or <c>fallback</c>.</summary>
    public string AllDown { get; set; } = "all";
    /// <summary>With <c>allDown: fallback</c>: records in zone-file form without owner, e.g. "CNAME sorry.example.net.".</summary>
    public List<string> Fallback { get; set; } = [];
    /// <summary>
    /// What the pool answers while an operator has its emergency switch on, in the same form as <see cref="Fallback"/>,
    /// e.g. "CNAME maintenance.example.net."; unset: the fallback records.
    /// </summary>
    public List<string> Emergency { get; set; } = [];
    /// <summary>False leaves the pool's live records out of zone transfers (secondaries then serve the zone file's data there).</summary>
    public bool Transfer { get; set; } = true;
}
