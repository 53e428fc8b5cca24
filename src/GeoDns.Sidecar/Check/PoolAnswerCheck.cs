using System.Net;
using ARSoft.Tools.Net.Dns;
using GeoDns.Contracts;

namespace GeoDns.Sidecar.Check;

/// <summary>
/// The pool's A answer: from each nameserver directly, and through each recursive resolver as clients get it. It must
/// not be empty and hold only edges the nameservers answer now; a resolver given a country must get that country's
/// edge when one is up (the geo part of the answer). While the pool's emergency answer is on, the answer must be its
/// emergency records instead (the emergency line says that it is on).
/// </summary>
public static class PoolAnswerCheck
{
    public static async Task<CheckResult> AtNameserverAsync(FleetView fleet, CheckedNameserver ns, CancellationToken cancel)
    {
        var what = $"pool {fleet.Pool} at {ns.Label}";
        var reply = await DnsQuery.AskAsync(ns.Dns, fleet.Pool, RecordType.A, recursion: false, fleet.Timeout, cancel);
        if (!reply.Ok) return CheckResult.Fail(what, reply.Error!, $"start GeoDns on {ns.Name} (see nameserver {ns.Name} above)");
        if (ns.Emergency is { On: true, Records.Count: > 0 } emergency)
            return Holds(reply.Value!, emergency) ? CheckResult.Pass(what, $"the emergency answer: {string.Join("; ", emergency.Records)}")
                : CheckResult.Fail(what, $"answers {Shown(reply.Value!)}, not the emergency records {string.Join("; ", emergency.Records)} its admin API says it answers",
                    $"compare GET /v1/pools/{fleet.Pool}/emergency and /healthz on {ns.Name}");
        // Without its own list (its admin API did not answer), the other nameservers' say what is serving.
        var serving = FleetView.ServingAddresses(ns.Edges ?? fleet.Nameservers.SelectMany(n => n.Edges ?? []));
        return Judge(fleet, what, reply.Value!, serving, null, $"{ns.Name}'s");
    }

    public static async Task<CheckResult> ThroughResolverAsync(FleetView fleet, CheckResolver resolver, IPEndPoint endpoint, CancellationToken cancel)
    {
        var what = $"pool {fleet.Pool} through resolver {resolver}";
        var reply = await DnsQuery.AskAsync(endpoint, fleet.Pool, RecordType.A, recursion: true, fleet.Timeout, cancel);
        if (!reply.Ok) return CheckResult.Fail(what, reply.Error!, "check the resolver's address in check.resolvers");
        // Cached answers of before the switch may still come through: only the emergency records are judged by them.
        if (fleet.Nameservers.Select(n => n.Emergency).FirstOrDefault(e => e is { On: true, Records.Count: > 0 }) is { } emergency && Holds(reply.Value!, emergency))
            return CheckResult.Pass(what, $"the emergency answer: {string.Join("; ", emergency.Records)}");
        var serving = FleetView.ServingAddresses(fleet.Nameservers.SelectMany(n => n.Edges ?? []));
        return Judge(fleet, what, reply.Value!, serving, resolver.Country, "the nameservers'");
    }

    /// <summary>Whether the reply holds every emergency record (zone-file lines), TTLs aside: a resolver counts them down.</summary>
    private static bool Holds(DnsMessage reply, EmergencyView emergency)
    {
        var got = reply.AnswerRecords.Select(r => WithoutTtl(r.ToString())).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return emergency.Records.All(r => got.Contains(WithoutTtl(r)));
    }

    private static string WithoutTtl(string line) => line.Split(' ', 3) is [var owner, _, var rest] ? $"{owner} {rest}" : line;

    private static string Shown(DnsMessage reply) =>
        reply.AnswerRecords.Count == 0 ? $"nothing ({reply.ReturnCode})" : string.Join("; ", reply.AnswerRecords.Select(r => r.ToString()));

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
