using System.Net;
using ARSoft.Tools.Net.Dns;

namespace GeoDns.Sidecar.Check;

/// <summary>The zone's own NS names and the addresses of those inside it, as a nameserver answers them authoritatively.</summary>
public sealed record ZoneApex(string AnsweredBy, IReadOnlyList<string> Names, IReadOnlyDictionary<string, IReadOnlyList<IPAddress>> Addresses)
{
    /// <summary>Asks the nameservers in turn; the first that answers NS with AA set is taken. A failed value names each one's problem.</summary>
    public static async Task<Outcome<ZoneApex>> ReadAsync(FleetView fleet, CancellationToken cancel)
    {
        var problems = new List<string>();
        foreach (var ns in fleet.Nameservers)
        {
            var reply = await DnsQuery.AskAsync(ns.Dns, fleet.Zone, RecordType.Ns, recursion: false, fleet.Timeout, cancel);
            if (!reply.Ok)
            {
                problems.Add($"{ns.Name}: {reply.Error}");
                continue;
            }
            var names = reply.Value!.AnswerRecords.OfType<NsRecord>().Where(r => DnsQuery.Same(r.Name, fleet.Zone))
                .Select(r => DnsQuery.Text(r.NameServer)).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
            if (!reply.Value.IsAuthoritiveAnswer || names.Count == 0)
            {
                problems.Add($"{ns.Name}: no authoritative NS for {fleet.Zone} ({reply.Value.ReturnCode})");
                continue;
            }
            var addresses = new Dictionary<string, IReadOnlyList<IPAddress>>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in names.Where(n => Within(n, fleet.Zone)))
            {
                var found = new List<IPAddress>();
                foreach (var type in (RecordType[])[RecordType.A, RecordType.Aaaa])
                {
                    var asked = await DnsQuery.AskAsync(ns.Dns, name, type, recursion: false, fleet.Timeout, cancel);
                    if (asked.Ok) found.AddRange(DnsQuery.Addresses(asked.Value!.AnswerRecords, name));
                }
                addresses[name] = found;
            }
            return Outcome<ZoneApex>.Success(new ZoneApex(ns.Name, names, addresses));
        }
        return Outcome<ZoneApex>.Failed(string.Join("; ", problems));
    }

    /// <summary>Whether <paramref name="name"/> is <paramref name="zone"/> or below it: then the parent must hold glue for it.</summary>
    public static bool Within(string name, string zone)
    {
        var (n, z) = (name.TrimEnd('.'), zone.TrimEnd('.'));
        return n.Equals(z, StringComparison.OrdinalIgnoreCase) || n.EndsWith("." + z, StringComparison.OrdinalIgnoreCase);
    }
}
