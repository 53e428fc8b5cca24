using GeoDns.Health;

namespace GeoDns.Server.Admin;

/// <summary>
/// An edge address considered for an explained answer. <see cref="Kilometers"/> is the great-circle
/// distance from the client (null when either position is unknown); <see cref="Rank"/> is its place
/// in the answer, 1 first, or null when it is not in it.
/// </summary>
public sealed record CandidateView(string Edge, string Address, HealthState State, HealthState Effective, bool Drained, bool Answerable, double? Kilometers, double Weight, int? Rank)
{
    /// <summary>A passive signal holding on the address (the sidecar's "tunnel down: ..."): why it counts as Down whatever its probes say.</summary>
    public string? Passive { get; init; }
}
