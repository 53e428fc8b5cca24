namespace GeoDns.Server.Admin;

/// <summary>
/// Why a client gets the answer it gets. <see cref="Kind"/> is "pool" (chosen per client among the
/// pool's edges), "static" (from a zone file: the same for everyone) or "refused" (not in a zone we serve).
/// </summary>
public sealed record ExplainView(
    string Name,
    string Type,
    string Kind,
    string Client,
    string? Ecs,
    LocationView? Location,
    string Reason,
    IReadOnlyList<CandidateView> Candidates,
    IReadOnlyList<string> Answer,
    IReadOnlyList<string> Authority,
    string Rcode,
    uint? Ttl,
    int EcsScope)
{
    /// <summary>For a pool: why <see cref="Ttl"/> applies now (steady: the pool's ttl; degraded: its degradedTtl, and which edges are in doubt).</summary>
    public string? TtlReason { get; init; }
}
