using System.Collections.Immutable;
using System.Net.Sockets;

namespace GeoDns.Health;

/// <summary>An immutable picture of every target's health, replaced as a whole on each change.</summary>
public sealed class HealthReport(IReadOnlyDictionary<ProbeTarget, TargetStatus> targets)
{
    public static readonly HealthReport Empty = new(new Dictionary<ProbeTarget, TargetStatus>());

    private Dictionary<string, TargetStatus>? _byIdentity;

    public IReadOnlyDictionary<ProbeTarget, TargetStatus> Targets { get; } = targets;

    /// <summary>
    /// Address families over which no probe gets any reply, and since when: this nameserver's own
    /// network looks down, and failing edges of that family are held Suspect rather than taken Down.
    /// </summary>
    public IReadOnlyDictionary<AddressFamily, DateTimeOffset> Isolated { get; init; } = ImmutableDictionary<AddressFamily, DateTimeOffset>.Empty;

    /// <summary>
    /// The status of <paramref name="target"/>, or of the same edge probed the same way with other tuning
    /// (interval, timeouts, thresholds: the same type, address and port). A reloaded config that retunes the
    /// probes is answered before the monitor takes its targets (<see cref="HealthMonitor.SetTargets"/>, which
    /// keeps their states too): without this, that publish saw every edge Unknown and answered by allDown.
    /// </summary>
    public TargetStatus? StatusOf(ProbeTarget target)
    {
        if (Targets.TryGetValue(target, out var status)) return status;
        // Built once per report, on the first miss: a miss is rare (a retune), a report is made per probe result.
        var byIdentity = Volatile.Read(ref _byIdentity);
        if (byIdentity is null)
        {
            byIdentity = new Dictionary<string, TargetStatus>(StringComparer.Ordinal);
            foreach (var (known, knownStatus) in Targets) byIdentity.TryAdd(known.ToString(), knownStatus);
            Volatile.Write(ref _byIdentity, byIdentity);
        }
        return byIdentity.GetValueOrDefault(target.ToString());
    }

    /// <summary>The state answers go by: the probed one, or Down while a passive signal holds; Unknown for a target nobody probes.</summary>
    public HealthState StateOf(ProbeTarget target) => StatusOf(target)?.Effective ?? HealthState.Unknown;
}
