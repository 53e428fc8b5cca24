using GeoDns.Sidecar.Check;
using GeoDns.Sidecar.Rotation;

namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// What the daemon saw at one poll (<see cref="FleetWatch"/>): the panel shows it and <see cref="AlertWatch"/> judges it.
/// <see cref="Rotations"/> holds the recent ones and every failed one still waiting for its retry.
/// </summary>
public sealed record FleetSnapshot(
    DateTimeOffset At,
    IReadOnlyList<NameserverSight> Nameservers,
    IReadOnlyList<EdgeSight> Edges,
    HomeCertificate? Certificate,
    int BudgetLeft,
    int DailyBudget,
    IReadOnlyList<RotationRecord> Rotations)
{
    public static readonly FleetSnapshot Empty = new(DateTimeOffset.MinValue, [], [], null, 0, 0, []);

    /// <summary>A nameserver rotation (run by hand, with the daemon stopped) that failed and still waits for its retry; null when none.</summary>
    public Fleet.NameserverRotation? FailedNameserverRotation { get; init; }

    /// <summary>The edges under attack (<see cref="AttackWatch"/>), each with what <c>run</c> did about it.</summary>
    public IReadOnlyList<AttackVerdict> Attacks { get; init; } = [];

    public AttackVerdict? AttackOn(string edge) => Attacks.FirstOrDefault(a => a.Edge.Equals(edge, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// One nameserver as the home reaches it: its <c>/healthz</c> (status, version, why it is not ready, warnings) and, from
/// its <c>/v1/zones</c>, the serial of the zone that holds the pool and when its zone files last loaded; or why it did
/// not answer (<see cref="Error"/>) and since when.
/// </summary>
public sealed record NameserverSight(string Name, string Url, string? Error, DateTimeOffset? UnreachableSince, string? Status, string? Version, IReadOnlyList<string> Warnings)
{
    public string? Problem { get; init; }

    /// <summary>The zones it serves, as /healthz counts them while ready.</summary>
    public int? Zones { get; init; }

    /// <summary>The zone that holds the pool (<see cref="Admin.NameserverZones.Holding"/>) and the SOA serial it answers; null when not known.</summary>
    public Admin.NameserverZones.Served? Zone { get; init; }

    /// <summary>When its zone files last loaded, and last failed to (null: not since its start, or it does not say).</summary>
    public DateTimeOffset? ReloadedAt { get; init; }

    public DateTimeOffset? ReloadFailedAt { get; init; }

    /// <summary>The pool's emergency switch on this nameserver; null when not known (no answer, or a server older than the switch).</summary>
    public GeoDns.Contracts.EmergencyView? Emergency { get; init; }

    public bool Reachable => Error is null;
}

/// <summary>
/// One edge: its role at home (null: a nameserver lists it, the home does not know it), each nameserver's view, since
/// when the views disagree, and its tunnel home as <see cref="TunnelWatch"/> judged it.
/// </summary>
public sealed record EdgeSight(string Name, string? Role, string? Country, IReadOnlyList<EdgeOpinion> Views, DateTimeOffset? DisagreeingSince, TunnelState? Tunnel)
{
    /// <summary>What the edge reports of itself (<see cref="EdgeSignalsWatch"/>); null when the home holds no tunnel to it.</summary>
    public Signals.EdgeSignals? Signals { get; init; }

    /// <summary>Down on every nameserver that answered and lists it (and on one at least), none drained: the nameservers' verdict.</summary>
    public bool Down => Views.Any(v => v.Listed) && Views.Where(v => v.Listed).All(v => v is { State: "Down", Drained: false });

    public bool Disagreeing => DisagreeingSince is not null;

    /// <summary>At least one nameserver answered the home: without any, what the edge is now is not known.</summary>
    public bool Seen => Views.Any(v => v.State != EdgeOpinion.Unreachable);

    /// <summary>Added to a nameserver through its admin API (as only the sidecar does) and yet unknown at home.</summary>
    public bool Stray => Role is null && Views.Any(v => v.Source == "api");

    /// <summary>The countries it is answered to, when every nameserver that says agrees (and one does at least); else null.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? AnswersFor =>
        Views.Where(v => v.AnswersFor is not null).Select(v => v.AnswersFor!).ToList() is { Count: > 0 } said && said.All(a => EdgeOpinion.Same(a, said[0])) ? said[0] : null;
}

/// <summary>
/// One nameserver's view of an edge: <see cref="State"/> is its probes' verdict over the edge's addresses (<c>Up</c>,
/// <c>Down</c>, <c>Up/Down</c> when they differ), <c>absent</c> when it does not list the edge, <c>unreachable</c>
/// when it did not answer.
/// </summary>
public sealed record EdgeOpinion(string Nameserver, string State, bool InAnswers, bool Drained, DateTimeOffset? Since, int? CertificateDaysLeft, string? Passive, string? Source = null)
{
    public const string Absent = "absent";
    public const string Unreachable = "unreachable";

    public bool Listed => State is not (Absent or Unreachable);

    /// <summary>The countries whose clients get the edge from this nameserver now, continent → ISO codes; null when it does not say.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? AnswersFor { get; init; }

    /// <summary>The same countries, whatever the order the nameservers list them in.</summary>
    public static bool Same(IReadOnlyDictionary<string, IReadOnlyList<string>> a, IReadOnlyDictionary<string, IReadOnlyList<string>> b) =>
        a.Count == b.Count && a.All(c => b.TryGetValue(c.Key, out var other) && c.Value.Order(StringComparer.Ordinal).SequenceEqual(other.Order(StringComparer.Ordinal)));
}
