using ARSoft.Tools.Net.Dns;

namespace GeoDns.Sidecar.Check;

/// <summary>
/// Each nameserver, asked directly at its public address: SOA of the zone with AA set, and the same serial as the
/// others. One that lags answers an older zone to half the resolvers, so it is named.
/// </summary>
public static class AuthorityCheck
{
    public static async Task<IReadOnlyList<CheckResult>> RunAsync(FleetView fleet, CancellationToken cancel)
    {
        var answers = await Task.WhenAll(fleet.Nameservers.Select(async ns =>
            (Ns: ns, Reply: await DnsQuery.AskAsync(ns.Dns, fleet.Zone, RecordType.Soa, recursion: false, fleet.Timeout, cancel))));
        var serials = new Dictionary<CheckedNameserver, uint>();
        var results = new Dictionary<CheckedNameserver, CheckResult>();
        foreach (var (ns, reply) in answers)
        {
            var what = $"nameserver {ns.Label}";
            if (!reply.Ok)
            {
                results[ns] = CheckResult.Fail(what, reply.Error!, $"start GeoDns on {ns.Name} and let DNS (port {ns.Dns.Port}, UDP and TCP) through its firewall (manual-install.md §6)");
                continue;
            }
            var soa = reply.Value!.AnswerRecords.OfType<SoaRecord>().FirstOrDefault(r => DnsQuery.Same(r.Name, fleet.Zone));
            if (!reply.Value.IsAuthoritiveAnswer || soa is null)
            {
                results[ns] = CheckResult.Fail(what, $"answers SOA {fleet.Zone} {(reply.Value.IsAuthoritiveAnswer ? "without a SOA record" : "without the AA flag")} ({reply.Value.ReturnCode})",
                    $"{ns.Name} does not serve {fleet.Zone}: put its zone file in {ns.Name}'s zones directory and reload (POST /v1/zones/reload)");
                continue;
            }
            serials[ns] = soa.SerialNumber;
        }
        // RFC 1982 serial arithmetic: the newest is the one no other is ahead of.
        var newest = serials.Values.DefaultIfEmpty().Aggregate((a, b) => Ahead(b, a) ? b : a);
        var ahead = serials.Where(s => s.Value == newest).Select(s => s.Key.Name).ToList();
        foreach (var (ns, serial) in serials)
            results[ns] = serial == newest
                ? CheckResult.Pass($"nameserver {ns.Label}", $"authoritative for {fleet.Zone}, serial {serial}")
                : CheckResult.Fail($"nameserver {ns.Label}", $"serves {fleet.Zone} with serial {serial}, behind {string.Join(" and ", ahead)} ({newest})",
                    $"{ns.Name} lags: give it the same zone file as {ahead[0]} and reload it (POST /v1/zones/reload), or see why its zone transfer stopped");
        return fleet.Nameservers.Select(n => results[n]).ToList();
    }

    private static bool Ahead(uint a, uint b) => a != b && (int)(a - b) > 0;
}
