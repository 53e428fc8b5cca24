using System.Collections.Immutable;
using System.Net.Sockets;

namespace GeoDns.Health;

/// <summary>An immutable picture of every target's health, replaced as a whole on each change.</summary>
public sealed class HealthReport(IReadOnlyDictionary<ProbeTarget, TargetStatus> targets)
{
    public static readonly HealthReport Empty = new(new Dictionary<ProbeTarget, TargetStatus>());

    public IReadOnlyDictionary<ProbeTarget, TargetStatus> Targets { get; } = targets;

    /// <summary>
    /// Address families over which no probe gets any reply, and since when: this nameserver's own
    /// network looks down, and failing edges of that family are held Suspect rather than taken Down.
    /// </summary>
    public IReadOnlyDictionary<AddressFamily, DateTimeOffset> Isolated { get; init; } = ImmutableDictionary<AddressFamily, DateTimeOffset>.Empty;

    /// <summary>The state answers go by: the probed one, or Down while a passive signal holds.</summary>
    public HealthState StateOf(ProbeTarget target) => Targets.TryGetValue(target, out var status) ? status.Effective : HealthState.Unknown;

    /// <summary>
    /// True while any of <paramref name="targets"/> is in doubt (Suspect, Down or Unknown) or its
    /// family is isolated: the hook for a shorter TTL while a pool is degraded.
    /// </summary>
    public bool Degraded(IEnumerable<ProbeTarget> targets) =>
        targets.Any(t => StateOf(t) != HealthState.Up || Isolated.ContainsKey(t.Address.AddressFamily));
}
