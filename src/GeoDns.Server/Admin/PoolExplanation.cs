using System.Net;
using GeoDns.Answering;
using GeoDns.Geo;
using GeoDns.Health;
using GeoDns.Pools;
using GeoDns.Protocol;

namespace GeoDns.Server.Admin;

/// <summary>The explanation of a pool's A or AAAA answer: every edge address of the family, ranked as the query path ranks them.</summary>
public static class PoolExplanation
{
    /// <param name="health">The newest health report, for the passive signals beside the states (null: none shown).</param>
    public static ExplainView Explain(PoolAnswer current, DnsName qname, ushort qtype, GeoLocation location, LocationView? view, int scope, HealthReport? health = null)
    {
        var route = current.Route;
        var pool = route.Pool;
        var v4 = qtype == DnsType.A;
        var geo = current.GeoFor(qtype);
        IReadOnlyList<IPAddress> chosen;
        string reason;
        if (route.AnswersEmergency)
        {
            chosen = [];
            reason = $"the emergency answer is on since {route.Emergency!.Since.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC{(route.Emergency.Reason is { Length: > 0 } why ? $" ({why})" : "")}: " +
                "every client gets the pool's emergency records instead of its edges, until it is turned off";
        }
        else if (route.AllDown)
        {
            chosen = [.. route.Records.Where(r => r.Type == qtype).Select(r => new IPAddress(r.Data))];
            reason = pool.AllDown switch
            {
                AllDownPolicy.All => "no edge is healthy: allDown=all answers every edge that is not drained (a possibly dead edge beats no answer)",
                AllDownPolicy.None => "no edge is healthy: allDown=none answers NODATA",
                _ => $"no edge is healthy: allDown=fallback answers {string.Join(", ", route.Records.Select(r => RecordText.Format(qname, route.Ttl.Seconds, r)))}",
            };
        }
        else if (geo is null)
        {
            chosen = [];
            reason = $"no healthy {DnsType.ToString(qtype)} address in the pool: NODATA";
        }
        else
        {
            // Turn 0: where equally near edges take turns, this is one of the answers, not the only one.
            chosen = [.. geo.Chosen(location, turn: 0).Select(c => c.Address)];
            reason = Reason(pool, location, view is not null, chosen.Count);
        }
        var (x, y, z) = location is { Latitude: { } lat, Longitude: { } lon } ? GeoCandidate.UnitVector(lat, lon) : (double.NaN, double.NaN, double.NaN);
        var candidates = route.Edges
            .Select(e => (Route: e, Address: v4 ? e.Edge.Ipv4 : e.Edge.Ipv6, State: v4 ? e.Ipv4 : e.Ipv6))
            .Where(c => c.Address is not null)
            .Select(c =>
            {
                var km = double.IsNaN(x) ? double.PositiveInfinity : new GeoCandidate(c.Route.Edge, c.Address!, false).Kilometers(x, y, z);
                var rank = IndexOf(chosen, c.Address!);
                return new CandidateView(c.Route.Edge.Name, c.Address!.ToString(), c.State, c.Route.Effective(c.State), c.Route.Drained, c.Route.Answers(c.State),
                    double.IsFinite(km) ? Math.Round(km, 1) : null, c.Route.Edge.Weight, rank < 0 ? null : rank + 1)
                {
                    Passive = health?.StatusOf(new ProbeTarget(c.Address!, pool.Probe))?.Passive?.Reason,
                };
            })
            .OrderBy(c => c.Rank ?? int.MaxValue).ThenBy(c => c.Kilometers ?? double.MaxValue)
            .ToList();
        var ttl = route.Ttl.Seconds;
        var answer = route.AnswersEmergency || (route.AllDown && pool.AllDown == AllDownPolicy.Fallback)
            ? route.Records.Select(r => RecordText.Format(qname, ttl, r)).ToList()
            : chosen.Select(a => $"{qname} {ttl} IN {DnsType.ToString(qtype)} {a}").ToList();
        // Only an answer chosen for the client's location carries a scope; the others hold for everyone.
        var ecsScope = route.AllDown || route.AnswersEmergency || geo is null ? 0 : scope;
        return new ExplainView(qname.ToString(), DnsType.ToString(qtype), "pool", "", null, view, reason, candidates, answer, [], "NOERROR", ttl, ecsScope)
        {
            TtlReason = route.Ttl.Reason,
        };
    }

    private static int IndexOf(IReadOnlyList<IPAddress> addresses, IPAddress address)
    {
        for (var i = 0; i < addresses.Count; i++)
            if (addresses[i].Equals(address)) return i;
        return -1;
    }

    private static string Reason(Pool pool, GeoLocation location, bool geoOn, int count)
    {
        const string random = "every healthy edge, Up before Suspect, in a weighted random order that changes from query to query";
        if (!geoOn) return $"no geo database: {random}";
        if (location.Latitude is null) return $"the client's location is unknown (no database record, or a private address): {random}";
        var region = location.Country is { } c && pool.Regions.ContainsKey(c) ? c : location.Continent is { } k && pool.Regions.ContainsKey(k) ? k : null;
        var nearest = $"the {count} nearest healthy edge(s) by distance divided by weight, Up before Suspect (edges within 1 km of each other take turns)";
        return region is null ? nearest : $"the pool's regions map prefers [{string.Join(", ", pool.Regions[region])}] for {region}; then {nearest}";
    }
}
