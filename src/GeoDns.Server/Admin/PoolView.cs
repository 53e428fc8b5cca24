using GeoDns.Contracts;

namespace GeoDns.Server.Admin;

/// <summary>A pool: how it answers, whether no edge is healthy right now (<see cref="AllDownNow"/>), and its edges.</summary>
/// <param name="AllDown">The policy for when no edge is healthy: all, none or fallback.</param>
/// <param name="Ttl">The TTL of steady answers; <see cref="TtlNow"/> is the one answers carry now.</param>
/// <param name="ExposureSeconds">Worst case a client may still be sent to a dead edge, from a steady pool (see README: Exposure budget).</param>
/// <param name="CertificateWarningDays">HTTPS probes: fewer days left than this on an edge's certificate is flagged (0: never).</param>
public sealed record PoolView(
    string Name,
    uint Ttl,
    int Answers,
    string AllDown,
    bool AllDownNow,
    double ExposureSeconds,
    string ProbeType,
    int ProbePort,
    double ProbeIntervalSeconds,
    IReadOnlyList<EdgeView> Edges,
    int CertificateWarningDays)
{
    /// <summary>The TTL of answers while the pool is degraded.</summary>
    public uint DegradedTtl { get; init; }

    /// <summary>The TTL the pool's answers carry now: <see cref="Ttl"/> while steady, <see cref="DegradedTtl"/> while degraded.</summary>
    public uint TtlNow { get; init; }

    /// <summary>Why <see cref="TtlNow"/> applies: steady, or which edges are in doubt (or the allDown policy answering).</summary>
    public string TtlReason { get; init; } = "";

    /// <summary>Worst case for an edge that dies while the pool has been degraded for a TTL already: every cached answer has the short TTL.</summary>
    public double DegradedExposureSeconds { get; init; }

    /// <summary>The pool's emergency switch: while on, the pool answers its records instead of the edges listed here.</summary>
    public EmergencyView Emergency { get; init; } = null!;
}
