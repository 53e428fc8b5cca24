using System.Collections.Immutable;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace GeoDns.Health;

/// <summary>
/// Tells this nameserver's own outage from its edges' outage, per address family (a nameserver can
/// lose its IPv6 route and keep IPv4). A family becomes isolated when a Suspect target's confirming
/// probes all fail with no reply and so do the witnesses, other answered targets of the family,
/// probed at the same moment. While isolated, a failure with no reply holds its
/// target Suspect (still answered) instead of taking it Down: the answers stay as they were, and
/// when the network returns each target settles with its next probe, so none flaps. Any reply of
/// the family (a success, or a refusal: the path works) ends it. Not thread-safe: the monitor's lock.
/// </summary>
internal sealed class Isolation(TimeProvider time, ILogger log)
{
    /// <summary>Enough to tell a path of ours from one edge's: the chance that three healthy edges drop the same second is small.</summary>
    private const int MaxWitnesses = 3;

    public ImmutableDictionary<AddressFamily, DateTimeOffset> Since { get; private set; } = ImmutableDictionary<AddressFamily, DateTimeOffset>.Empty;

    public bool IsIsolated(ProbeTarget target) => Since.ContainsKey(target.Address.AddressFamily);

    /// <summary>
    /// Up to three other answered (Up, else Suspect) targets of the same family, drawn at random.
    /// Suspect ones count: when every edge fails at once, each is Suspect while the others confirm.
    /// </summary>
    public List<(ProbeTarget Target, TimeSpan Timeout)> Witnesses(ProbeTarget target, IReadOnlyDictionary<ProbeTarget, TargetStatus> statuses) =>
        statuses.Where(s => s.Key != target && s.Key.Address.AddressFamily == target.Address.AddressFamily
                && s.Value.State is HealthState.Up or HealthState.Suspect)
            .OrderBy(s => s.Value.State == HealthState.Up ? 0 : 1).ThenBy(_ => Random.Shared.Next()).Take(MaxWitnesses)
            .Select(s => (s.Key, s.Value.ConnectTimeoutFor(s.Key.Settings))).ToList();

    /// <summary>Notes a round's result; returns the change if the family's isolation began or ended.</summary>
    public IsolationChange? Observe(ProbeTarget target, ProbeResult result, bool witnessesSilent, IReadOnlyDictionary<ProbeTarget, TargetStatus> statuses)
    {
        var family = target.Address.AddressFamily;
        var now = time.GetUtcNow();
        if (Since.TryGetValue(family, out var since))
        {
            if (result is { Success: false, NoReply: true }) return null;
            Since = Since.Remove(family);
            return new IsolationChange(family, Entered: false, since, now, $"{target} replied ({(result.Success ? "probe succeeded" : result.Error)})", Held(family, statuses));
        }
        if (!witnessesSilent) return null;
        Since = Since.SetItem(family, now);
        return new IsolationChange(family, Entered: true, now, now, $"{target}: {result.Error}", Held(family, statuses));
    }

    /// <summary>A family with no targets left cannot stay isolated: nothing would ever end it.</summary>
    public void Forget(ProbeTarget gone, IReadOnlyDictionary<ProbeTarget, TargetStatus> statuses)
    {
        var family = gone.Address.AddressFamily;
        if (Since.ContainsKey(family) && !statuses.Keys.Any(t => t.Address.AddressFamily == family)) Since = Since.Remove(family);
    }

    public void Log(IsolationChange change)
    {
        var family = change.Family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
        if (change.Entered)
            log.LogWarning("No {Family} probe gets any reply: a Suspect edge's confirming probes and up to {Witnesses} healthy edges probed with them all failed ({Cause}). " +
                "This nameserver's own network looks down: holding the last answers, no edge is taken Down until probes get replies again ({Targets} {Family} targets)",
                family, MaxWitnesses, change.Cause, change.Targets, family);
        else
            log.LogInformation("{Family} probes get replies again after {Seconds} s of isolation ({Cause}); held edges settle with their next probes",
                family, Math.Round((change.At - change.Since).TotalSeconds, 1), change.Cause);
    }

    private static int Held(AddressFamily family, IReadOnlyDictionary<ProbeTarget, TargetStatus> statuses) =>
        statuses.Keys.Count(t => t.Address.AddressFamily == family);
}
