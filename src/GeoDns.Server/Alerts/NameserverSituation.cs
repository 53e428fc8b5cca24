using System.Net.Sockets;
using GeoDns.Contracts;
using GeoDns.Server.Admin;

namespace GeoDns.Server.Alerts;

/// <summary>
/// What this nameserver sees now, in a sentence or two for an alert: per pool how many edges its answers hold and
/// which are out and why, and whether its own network looks down. Whoever reads it knows whether the answers are
/// still good while the home cannot be asked.
/// </summary>
public static class NameserverSituation
{
    public static string Describe(Observations seen)
    {
        if (!seen.Ready) return "This nameserver is still starting.";
        var snapshot = seen.Snapshot;
        var pools = EdgeReport.Pools(seen, snapshot).Select(Pool).ToList();
        var network = snapshot.Health.Isolated.Count == 0
            ? "its probes get replies (its own network is up)"
            : string.Join("; ", snapshot.Health.Isolated.Select(i =>
                $"no {(i.Key == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")} probe gets a reply since {i.Value:yyyy-MM-dd HH:mm:ss} UTC (its own network looks down; edges are held as they were)"));
        return $"What it sees now: {(pools.Count == 0 ? "no pools" : string.Join("; ", pools))}; {network}.";
    }

    private static string Pool(PoolView pool)
    {
        if (pool.Emergency is { On: true, Records.Count: > 0 } emergency) return $"{pool.Name}: emergency answer on, answering {string.Join("; ", emergency.Records)}";
        if (pool.AllDownNow) return $"{pool.Name}: no edge is Up, answering by allDown={pool.AllDown}";
        var outside = pool.Edges.Where(e => !e.InAnswers).Select(e => $"{e.Name} {Why(e)}").ToList();
        return $"{pool.Name}: {pool.Edges.Count(e => e.InAnswers)} of {pool.Edges.Count} edge(s) in answers" +
            (outside.Count == 0 ? "" : $" ({string.Join(", ", outside)})");
    }

    private static string Why(EdgeView edge) =>
        edge.Drained ? "drained" : string.Join("/", edge.Addresses.Select(a => a.Effective).Distinct().Where(s => s != EdgeState.Up)) is { Length: > 0 } states ? states : "out";
}
