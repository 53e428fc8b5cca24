using System.Net;
using GeoDns.Answering;
using GeoDns.Contracts;
using GeoDns.Health;
using GeoDns.Pools;
using GeoDns.Protocol;

namespace GeoDns.Server.Admin;

/// <summary>
/// The admin's picture of pools and edges, from one snapshot: its routes with the health report and overrides they
/// were built from, so an edge shows drained, forced or down in the same response that shows whether answers hold it.
/// Only what each probe changes without moving an answer (the last result, counts, certificate) comes from the
/// monitor's newest report. While a pool's emergency switch is on, its edges show what they would give once it is off
/// (inAnswers included): the pool's <see cref="PoolView.Emergency"/> says what is answered. Read-only; built per request.
/// </summary>
public static class EdgeReport
{
    /// <summary>Pool names as the config writes them: no trailing dot.</summary>
    public static string PoolName(DnsName name) => Operations.Name(name);

    /// <summary>The pools of <paramref name="snapshot"/> (default: the current one).</summary>
    public static IReadOnlyList<PoolView> Pools(Observations seen, Snapshot? snapshot = null)
    {
        snapshot ??= seen.Snapshot;
        var (probes, now) = (seen.Probes, seen.Time.GetUtcNow());
        return snapshot.Routes.Pools.Select(route => new PoolView(
            PoolName(route.Pool.Name), route.Pool.Ttl, route.Pool.Answers, route.Pool.AllDown.ToString().ToLowerInvariant(), route.AllDown,
            route.Pool.Exposure.TotalSeconds, route.Pool.Probe.Type, route.Pool.Probe.Port, route.Pool.Probe.Interval.TotalSeconds,
            route.Edges.Select(e => Edge(route, e, snapshot, probes, now)).ToList(), route.Pool.Probe.CertificateWarningDays)
        {
            DegradedTtl = route.Pool.DegradedTtl,
            TtlNow = route.Ttl.Seconds,
            TtlReason = route.Ttl.Reason,
            DegradedExposureSeconds = route.Pool.DegradedExposure.TotalSeconds,
            Emergency = Emergency(route),
        }).ToList();
    }

    /// <summary>The pool's emergency switch, with the records it answers while on (as they go out: the degraded TTL).</summary>
    public static EmergencyView Emergency(PoolRoute route) =>
        new(PoolName(route.Pool.Name), route.Emergency is not null, route.Emergency?.Since, route.Emergency?.Reason,
            [.. route.Pool.Emergency.Select(r => RecordText.Format(r.Owner, route.Pool.DegradedTtl, r))]);

    public static IReadOnlyList<EdgeView> Edges(Observations seen, Snapshot? snapshot = null) => Pools(seen, snapshot).SelectMany(p => p.Edges).ToList();

    /// <summary>
    /// <see cref="Edges"/> with the countries each edge is answered to now (<see cref="PoolCoverage"/>): asked of each pool's
    /// answer in the same snapshot, per request, so only for <c>GET /v1/edges</c>, not for the reads polled often or the metrics.
    /// </summary>
    public static IReadOnlyList<EdgeView> EdgesWithCoverage(Observations seen)
    {
        var snapshot = seen.Snapshot;
        var coverage = snapshot.Routes.Pools.ToDictionary(r => PoolName(r.Pool.Name),
            r => snapshot.PoolAnswer(r.Pool.Name) is { } answer ? PoolCoverage.Of(answer, snapshot.Geo is not null) : null, StringComparer.OrdinalIgnoreCase);
        return Edges(seen, snapshot).Select(e => coverage.GetValueOrDefault(e.Pool) is { } pool
            ? e with { AnswersFor = pool.GetValueOrDefault(e.Name) ?? new Dictionary<string, IReadOnlyList<string>>() }
            : e).ToList();
    }

    /// <summary>The names of the edges that use each probe target, for labelling transitions.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> EdgesByTarget(Snapshot snapshot) =>
        snapshot.Routes.Pools
            .SelectMany(route => route.Edges.SelectMany(e => e.Edge.Addresses().Select(a => (Target: e.Edge.Target(a, route.Pool.Probe)!.ToString(), e.Edge.Name))))
            .GroupBy(x => x.Target)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(x => x.Name).Distinct().ToList());

    private static EdgeView Edge(PoolRoute route, EdgeRoute e, Snapshot snapshot, HealthReport probes, DateTimeOffset now)
    {
        snapshot.Overrides.TryGetValue(e.Edge.Name, out var o);
        // With allDown=all and nothing healthy, every edge that is not drained is answered anyway.
        var failOpen = route.AllDown && route.Pool.AllDown == AllDownPolicy.All && !e.Drained;
        var addresses = new List<AddressView>();
        if (e.Edge.Ipv4 is { } v4) addresses.Add(Address(route, e, v4, e.Ipv4, snapshot.Health, probes, failOpen, now));
        if (e.Edge.Ipv6 is { } v6) addresses.Add(Address(route, e, v6, e.Ipv6, snapshot.Health, probes, failOpen, now));
        return new EdgeView(PoolName(route.Pool.Name), e.Edge.Name, e.Edge.Source, e.InAnswers || failOpen, e.Drained, e.Forced is { } forced ? Wire(forced) : null, o?.Reason, o?.Changed,
            e.Edge.Country, e.Edge.Latitude, e.Edge.Longitude, e.Edge.Weight, addresses);
    }

    /// <param name="health">The report the route was built from: states, since when, passive signals.</param>
    /// <param name="probes">The newest report: the last probe and the counts, which change with every probe.</param>
    private static AddressView Address(PoolRoute route, EdgeRoute e, IPAddress address, HealthState state, HealthReport health, HealthReport probes, bool failOpen,
        DateTimeOffset now)
    {
        var target = e.Edge.Target(address, route.Pool.Probe)!;
        var status = health.StatusOf(target);
        var observed = probes.StatusOf(target);
        var last = observed?.LastProbe;
        // State is what the probes say; a passive signal (the tunnel down) is in Effective only, as a forced state is.
        var probed = status is { Passive: not null } ? status.State : state;
        return new AddressView(address.ToString(), target.ToString(), Wire(probed), Wire(e.Effective(state)), e.Answers(state) || failOpen, status?.Since,
            last is null ? null : new ProbeOutcome(last.Success, Math.Round(last.Latency.TotalMilliseconds, 2), last.Error, last.At),
            observed?.ConsecutiveFailures ?? 0, observed?.ConsecutiveSuccesses ?? 0, last?.CertificateDaysLeft)
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
