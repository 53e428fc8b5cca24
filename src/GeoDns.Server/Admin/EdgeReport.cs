using System.Net;
using GeoDns.Contracts;
using GeoDns.Health;
using GeoDns.Pools;
using GeoDns.Protocol;

namespace GeoDns.Server.Admin;

/// <summary>
/// The admin's picture of pools and edges, from what answering uses (the routing table of the last
/// publish) and the newest probe details. Read-only; built per request.
/// </summary>
public static class EdgeReport
{
    /// <summary>Pool names as the config writes them: no trailing dot.</summary>
    public static string PoolName(DnsName name) => Operations.Name(name);

    /// <summary>The pools of <paramref name="snapshot"/> (default: the current one) with the newest probe details.</summary>
    public static IReadOnlyList<PoolView> Pools(DnsService service, Answering.Snapshot? snapshot = null)
    {
        var (health, overrides, now) = (service.Health.Current, service.Store.Overrides(), service.Time.GetUtcNow());
        return (snapshot ?? service.Snapshot).Routes.Pools.Select(route => new PoolView(
            PoolName(route.Pool.Name), route.Pool.Ttl, route.Pool.Answers, route.Pool.AllDown.ToString().ToLowerInvariant(), route.AllDown,
            route.Pool.Exposure.TotalSeconds, route.Pool.Probe.Type, route.Pool.Probe.Port, route.Pool.Probe.Interval.TotalSeconds,
            route.Edges.Select(e => Edge(route, e, health, overrides, now)).ToList(), route.Pool.Probe.CertificateWarningDays)
        {
            DegradedTtl = route.Pool.DegradedTtl,
            TtlNow = route.Ttl.Seconds,
            TtlReason = route.Ttl.Reason,
            DegradedExposureSeconds = route.Pool.DegradedExposure.TotalSeconds,
        }).ToList();
    }

    public static IReadOnlyList<EdgeView> Edges(DnsService service, Answering.Snapshot? snapshot = null) => Pools(service, snapshot).SelectMany(p => p.Edges).ToList();

    /// <summary>The names of the edges that use each probe target, for labelling transitions.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> EdgesByTarget(DnsService service) =>
        service.Snapshot.Routes.Pools
            .SelectMany(route => route.Edges.SelectMany(e => e.Edge.Addresses().Select(a => (Target: e.Edge.Target(a, route.Pool.Probe)!.ToString(), e.Edge.Name))))
            .GroupBy(x => x.Target)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(x => x.Name).Distinct().ToList());

    private static EdgeView Edge(PoolRoute route, EdgeRoute e, HealthReport health, IReadOnlyDictionary<string, EdgeOverride> overrides, DateTimeOffset now)
    {
        overrides.TryGetValue(e.Edge.Name, out var o);
        // With allDown=all and nothing healthy, every edge that is not drained is answered anyway.
        var failOpen = route.AllDown && route.Pool.AllDown == AllDownPolicy.All && !e.Drained;
        var addresses = new List<AddressView>();
        if (e.Edge.Ipv4 is { } v4) addresses.Add(Address(route, e, v4, e.Ipv4, health, failOpen, now));
        if (e.Edge.Ipv6 is { } v6) addresses.Add(Address(route, e, v6, e.Ipv6, health, failOpen, now));
        return new EdgeView(PoolName(route.Pool.Name), e.Edge.Name, e.Edge.Source, e.InAnswers || failOpen, e.Drained, e.Forced is { } forced ? Wire(forced) : null, o?.Reason, o?.Changed,
            e.Edge.Country, e.Edge.Latitude, e.Edge.Longitude, e.Edge.Weight, addresses);
    }

    private static AddressView Address(PoolRoute route, EdgeRoute e, IPAddress address, HealthState state, HealthReport health, bool failOpen, DateTimeOffset now)
    {
        var target = e.Edge.Target(address, route.Pool.Probe)!;
        var status = health.StatusOf(target);
        var last = status?.LastProbe;
        // State is what the probes say; a passive signal (the tunnel down) is in Effective only, as a forced state is.
        var probed = status is { Passive: not null } ? status.State : state;
        return new AddressView(address.ToString(), target.ToString(), Wire(probed), Wire(e.Effective(state)), e.Answers(state) || failOpen, status?.Since,
            last is null ? null : new ProbeOutcome(last.Success, Math.Round(last.Latency.TotalMilliseconds, 2), last.Error, last.At),
            status?.ConsecutiveFailures ?? 0, status?.ConsecutiveSuccesses ?? 0, last?.CertificateDaysLeft)
        {
            Passive = status?.Passive is { } p ? new PassiveView(p.Reason, p.Until, Math.Max(0, Math.Round((p.Until - now).TotalSeconds, 1))) : null,
        };
    }

    /// <summary>A probe state as the admin API names it.</summary>
    public static EdgeState Wire(HealthState state) => state switch
    {
        HealthState.Up => EdgeState.Up,
        HealthState.Suspect => EdgeState.Suspect,
        HealthState.Down => EdgeState.Down,
        _ => EdgeState.Unknown,
    };
}
