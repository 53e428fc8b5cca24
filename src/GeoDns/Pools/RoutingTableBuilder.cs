using System.Net;
using GeoDns.Health;
using GeoDns.Protocol;

namespace GeoDns.Pools;

/// <summary>Combines pools, probe results and operator overrides into the records each pool answers.</summary>
public static class RoutingTableBuilder
{
    /// <param name="emergencies">The emergency switches that are on, by <see cref="EmergencySwitch.Key"/> (case ignored); none when null.</param>
    public static RoutingTable Build(PoolSet pools, HealthReport health, IReadOnlyDictionary<string, EdgeOverride> overrides,
        IReadOnlyDictionary<string, EmergencySwitch>? emergencies = null) =>
        new(pools.Pools.Select(pool => Emergency(Route(pool, health, overrides), emergencies)).ToList());

    /// <summary>An emergency switch that is on wins over the edges: the pool answers its emergency records, with its degraded TTL.</summary>
    private static PoolRoute Emergency(PoolRoute route, IReadOnlyDictionary<string, EmergencySwitch>? emergencies)
    {
        if (emergencies is null || !emergencies.TryGetValue(EmergencySwitch.Key(route.Pool.Name), out var on)) return route;
        route = route with { Emergency = on };
        return route.AnswersEmergency ? route with { Records = route.Pool.Emergency, Ttl = PoolTtl.ForEmergency(route.Pool, on) } : route;
    }

    private static PoolRoute Route(Pool pool, HealthReport health, IReadOnlyDictionary<string, EdgeOverride> overrides)
    {
        var edges = pool.Edges.Select(edge =>
        {
            overrides.TryGetValue(edge.Name, out var o);
            return new EdgeRoute(edge, State(edge.Target(edge.Ipv4, pool.Probe), health), State(edge.Target(edge.Ipv6, pool.Probe), health), o?.Drained ?? false, o?.Forced);
        }).ToList();
        var allDown = !edges.Any(e => e.InAnswers);
        var records = !allDown
            ? [.. Healthy(pool, edges, DnsType.A), .. Healthy(pool, edges, DnsType.AAAA)]
            : pool.AllDown switch
            {
                AllDownPolicy.All => edges.Where(e => !e.Drained).SelectMany(e => e.Edge.Addresses()).Select(a => Address(pool, a)).ToList(),
                AllDownPolicy.Fallback => pool.Fallback.ToList(),
                _ => new List<ResourceRecord>(),
            };
        return new PoolRoute(pool, edges, allDown, records, PoolTtl.For(pool, edges, allDown, health));
    }

    private static HealthState State(ProbeTarget? target, HealthReport health) => target is null ? HealthState.Unknown : health.StateOf(target);

    /// <summary>Up edges in config order, then Suspect ones: still answered, but tried last.</summary>
    private static IEnumerable<ResourceRecord> Healthy(Pool pool, List<EdgeRoute> edges, ushort type) =>
        edges.Select(e => e.Answerable(type)).OfType<(IPAddress Address, bool Suspect)>()
            .OrderBy(x => x.Suspect).Select(x => Address(pool, x.Address));

    private static ResourceRecord Address(Pool pool, IPAddress address) =>
        new(pool.Name, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? DnsType.A : DnsType.AAAA, pool.Ttl, address.GetAddressBytes(), new RecordSource($"pool {pool.Name}"));
}
