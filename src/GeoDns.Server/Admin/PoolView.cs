using GeoDns.Contracts;

namespace GeoDns.Server.Admin;

/// <summary>A pool: how it answers, whether no edge is healthy right now (<see cref="AllDownNow"/>), and its edges.</summary>
/// <param name="AllDown">The policy for when no edge is healthy: all, none or fallback.</param>
/// <param name="ExposureSeconds">Worst case a client may still be sent to a dead edge (see README: Exposure budget).</param>
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
    int CertificateWarningDays);
