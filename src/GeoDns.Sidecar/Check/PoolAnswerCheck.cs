using System.Net;
using ARSoft.Tools.Net.Dns;
using GeoDns.Contracts;

namespace GeoDns.Sidecar.Check;

/// <summary>
/// The pool's A answer: from each nameserver directly, and through each recursive resolver as clients get it. It must
/// not be empty and hold only edges the nameservers answer now; a resolver given a country must get that country's
/// edge when one is up (the geo part of the answer).
/// </summary>
public static class PoolAnswerCheck
{
    public static async Task<CheckResult> AtNameserverAsync(FleetView fleet, CheckedNameserver ns, CancellationToken cancel)
    {
        var what = $"pool {fleet.Pool} at {ns.Label}";
        var reply = await DnsQuery.AskAsync(ns.Dns, fleet.Pool, RecordType.A, recursion: false, fleet.Timeout, cancel);
        if (!reply.Ok) return CheckResult.Fail(what, reply.Error!, $"start GeoDns on {ns.Name} (see nameserver {ns.Name} above)");
        // Without its own list (its admin API did not answer), the other nameservers' say what is serving.
        var serving = FleetView.ServingAddresses(ns.Edges ?? fleet.Nameservers.SelectMany(n => n.Edges ?? []));
        return Judge(fleet, what, reply.Value!, serving, null, $"{ns.Name}'s");
    }

    public static async Task<CheckResult> ThroughResolverAsync(FleetView fleet, CheckResolver resolver, IPEndPoint endpoint, CancellationToken cancel)
    {
        var what = $"pool {fleet.Pool} through resolver {resolver}";
        var reply = await DnsQuery.AskAsync(endpoint, fleet.Pool, RecordType.A, recursion: true, fleet.Timeout, cancel);
        if (!reply.Ok) return CheckResult.Fail(what, reply.Error!, "check the resolver's address in check.resolvers");
        var serving = FleetView.ServingAddresses(fleet.Nameservers.SelectMany(n => n.Edges ?? []));
        return Judge(fleet, what, reply.Value!, serving, resolver.Country, "the nameservers'");
    }

    private static CheckResult Judge(FleetView fleet, string what, DnsMessage reply, IReadOnlyDictionary<IPAddress, EdgeView> serving, string? country, string whose)
    {
        var addresses = DnsQuery.Addresses(reply.AnswerRecords, fleet.Pool);
        if (addresses.Count == 0)
            return CheckResult.Fail(what, $"no address ({reply.ReturnCode})",
                reply.ReturnCode == ReturnCode.NoError
                    ? "no edge is up: see `geodns-sidecar status` and GET /v1/edges on the nameservers"
                    : "the resolver does not reach the nameservers: see the delegation line");
        var shown = string.Join(", ", addresses.Select(fleet.Describe));
        var strays = addresses.Where(a => !serving.ContainsKey(a)).ToList();
        if (strays.Count > 0)
            return CheckResult.Fail(what, $"answers {shown}; {string.Join(", ", strays.Select(fleet.Describe))} is not in {whose} answers now",
                "an address a resolver caches goes after the pool's TTL: check again in a minute; if it stays, the nameservers disagree (compare GET /v1/edges on each)");
        if (country is not null)
        {
            var local = serving.Where(s => string.Equals(s.Value.Country, country, StringComparison.OrdinalIgnoreCase)).ToList();
            if (local.Count > 0 && !local.Any(l => addresses.Contains(l.Key)))
                return CheckResult.Fail(what, $"answers {shown}, without {local[0].Value.Name}, the edge up in {country}",
                    "the nameservers place this resolver elsewhere: check their geoDatabase, or the resolver's country in check.resolvers");
            if (local.Count == 0) return CheckResult.Pass(what, $"{shown} (no edge in {country} is up now)");
        }
        return CheckResult.Pass(what, shown);
    }
}
