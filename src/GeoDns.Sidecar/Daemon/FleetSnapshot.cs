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
}

/// <summary>
/// One nameserver as the home reaches it: its <c>/healthz</c> (status, version, why it is not ready, warnings), or
/// why it did not answer (<see cref="Error"/>) and since when.
/// </summary>
public sealed record NameserverSight(string Name, string Url, string? Error, DateTimeOffset? UnreachableSince, string? Status, string? Version, IReadOnlyList<string> Warnings)
{
    public string? Problem { get; init; }

    /// <summary>The zones it serves, as /healthz counts them while ready.</summary>
    public int? Zones { get; init; }

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
}
