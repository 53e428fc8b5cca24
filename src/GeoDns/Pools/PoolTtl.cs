using System.Net.Sockets;
using GeoDns.Health;

namespace GeoDns.Pools;

/// <summary>
/// The TTL a pool's answers carry right now, and why: gdnsd's state-aware TTL, decided once per pool when its
/// slot is rendered (never per query). While the pool is in doubt (an answered-for edge Suspect, Down or not yet
/// probed, its family isolated, or the all-down policy answering) its answers carry the short
/// <see cref="Pool.DegradedTtl"/>, so resolvers come back soon for the recovered or replacement edge and drop a
/// dying Suspect one sooner; steady answers keep <see cref="Pool.Ttl"/>. Drained and forced edges are the
/// operator's decision, not doubt: they do not count.
/// </summary>
public sealed record PoolTtl(uint Seconds, bool Degraded, string Reason)
{
    /// <summary>Edges named in a reason before it says "and N more".</summary>
    private const int Named = 3;

    public static PoolTtl For(Pool pool, IReadOnlyList<EdgeRoute> edges, bool allDown, HealthReport health)
    {
        var doubts = new List<string>();
        if (allDown) doubts.Add($"no edge is healthy, answering by allDown={pool.AllDown.ToString().ToLowerInvariant()}");
        foreach (var family in pool.Targets().Select(t => t.Address.AddressFamily).Distinct().Where(health.Isolated.ContainsKey))
            doubts.Add($"no {(family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")} probe gets a reply (this nameserver looks cut off)");
        if (!allDown)
            foreach (var edge in edges.Where(e => !e.Drained && e.Forced is null))
            {
                Doubt(doubts, edge, edge.Edge.Ipv4, edge.Ipv4, pool, health);
                Doubt(doubts, edge, edge.Edge.Ipv6, edge.Ipv6, pool, health);
            }
        if (doubts.Count == 0) return new PoolTtl(pool.Ttl, false, $"steady (every edge in the answers is Up): ttl {pool.Ttl} s");
        var named = string.Join("; ", doubts.Take(Named)) + (doubts.Count > Named ? $"; and {doubts.Count - Named} more" : "");
        return new PoolTtl(pool.DegradedTtl, true, $"degraded ({named}): degradedTtl {pool.DegradedTtl} s instead of ttl {pool.Ttl} s, so resolvers ask again soon");
    }

    /// <summary>
    /// While the emergency switch is on: the degraded TTL, so that resolvers ask again soon after it is turned off and the
    /// edges are answered within that much of it.
    /// </summary>
    public static PoolTtl ForEmergency(Pool pool, EmergencySwitch on) =>
        new(pool.DegradedTtl, true, $"emergency answer on since {on.Since.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC{(on.Reason is { Length: > 0 } why ? $" ({why})" : "")}: " +
            $"degradedTtl {pool.DegradedTtl} s instead of ttl {pool.Ttl} s, so resolvers come back to the edges soon after it is turned off");

    private static void Doubt(List<string> doubts, EdgeRoute edge, System.Net.IPAddress? address, HealthState state, Pool pool, HealthReport health)
    {
        if (address is null || state == HealthState.Up) return;
        var passive = health.StatusOf(new ProbeTarget(address, pool.Probe))?.Passive;
        doubts.Add($"{edge.Edge.Name} {address} is {state}{(passive is null ? "" : $": {passive.Reason}")}");
    }
}
