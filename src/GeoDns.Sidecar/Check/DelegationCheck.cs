using System.Net;
using ARSoft.Tools.Net.Dns;

namespace GeoDns.Sidecar.Check;

/// <summary>
/// The parent's referral, as a resolver gets it: asked without recursion for the zone's NS, each parent server must
/// name exactly the zone's own NS names, with glue equal to the addresses the zone gives them, and those addresses
/// must be our nameservers. A wrong glue address sends every resolver to the wrong machine while both nameservers
/// look healthy, which is why the check names the record to change.
/// </summary>
public static class DelegationCheck
{
    public static async Task<CheckResult> RunAsync(FleetView fleet, Outcome<ZoneApex> apexRead, IPEndPoint parent, CancellationToken cancel)
    {
        var what = $"delegation of {fleet.Zone} at {Show(parent)}";
        if (!apexRead.Ok)
            return CheckResult.Fail(what, $"no nameserver answered NS for {fleet.Zone} ({apexRead.Error}), so there is nothing to compare the parent with",
                "get the nameservers answering first (see the nameserver lines)");
        var apex = apexRead.Value!;
        var asked = await DnsQuery.AskAsync(parent, fleet.Zone, RecordType.Ns, recursion: false, fleet.Timeout, cancel);
        if (!asked.Ok) return CheckResult.Fail(what, asked.Error!, "check check.parents, or the parent's servers");
        var reply = asked.Value!;
        // A referral carries the NS in the authority section; a parent that also serves the child answers them outright.
        var given = reply.AuthorityRecords.Concat(reply.AnswerRecords).OfType<NsRecord>().Where(r => DnsQuery.Same(r.Name, fleet.Zone))
            .Select(r => DnsQuery.Text(r.NameServer)).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
        var parentZone = Parent(fleet.Zone);
        if (given.Count == 0)
            return CheckResult.Fail(what, $"the parent does not delegate {fleet.Zone} ({reply.ReturnCode}, no NS records)",
                $"add at the parent {string.Join(" and ", apex.Names.Select(n => $"NS {Relative(fleet.Zone, parentZone)} → {n}"))}, with glue (guide §5)");

        var (problems, fixes) = (new List<string>(), new List<string>());
        foreach (var missing in apex.Names.Except(given, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"the parent lacks NS {missing}");
            fixes.Add($"add the NS record {Relative(fleet.Zone, parentZone)} → {missing} at the parent");
        }
        foreach (var extra in given.Except(apex.Names, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"the parent names {extra}, which the zone's own NS do not");
            fixes.Add($"remove the NS record {Relative(fleet.Zone, parentZone)} → {extra} at the parent, or add it to the zone");
        }
        foreach (var name in given.Where(n => ZoneApex.Within(n, fleet.Zone)))
        {
            var glue = DnsQuery.Addresses(reply.AdditionalRecords, name);
            var expected = apex.Addresses.GetValueOrDefault(name) ?? [];
            if (expected.Count == 0) continue; // named above: not one of the zone's NS names
            var at = Where(fleet, name, expected);
            if (glue.Count == 0)
            {
                problems.Add($"no glue for {name}; {at}");
                fixes.Add($"add the A record {Relative(name, parentZone)} → {Join(expected)} at the parent");
            }
            else if (!glue.ToHashSet().SetEquals(expected))
            {
                problems.Add($"glue for {name} is {Join(glue)}; {at}");
                fixes.Add($"change the A record {Relative(name, parentZone)} at the parent to {Join(expected)}");
            }
        }
        // The zone's own addresses for its NS names must be the nameservers the home knows (nameserverTunnels).
        foreach (var (name, addresses) in apex.Addresses)
            foreach (var stray in addresses.Where(a => fleet.NameserverAt(a) is null))
            {
                problems.Add($"the zone puts {name} at {stray}, where none of the nameservers ({string.Join(", ", fleet.Nameservers.Select(n => n.Label))}) is");
                fixes.Add($"correct the A record of {name} in the zone file on every nameserver (and its glue at the parent)");
            }
        foreach (var ns in fleet.Nameservers.Where(n => !apex.Addresses.Values.Any(a => a.Contains(n.Dns.Address))))
        {
            problems.Add($"no NS name of {fleet.Zone} points at {ns.Label}");
            fixes.Add($"give {ns.Name} an NS record and an A record in the zone, and both at the parent");
        }
        return problems.Count == 0
            ? CheckResult.Pass(what, $"refers to {string.Join(", ", given.Select(n => $"{n} ({Join(apex.Addresses.GetValueOrDefault(n) ?? [])})"))}, as the zone does")
            : CheckResult.Fail(what, string.Join("; ", problems), string.Join("; ", fixes.Distinct()));
    }

    /// <summary>The servers to ask: <c>check.parents</c>, else the parent zone's NS as the resolver finds them.</summary>
    public static async Task<Outcome<IReadOnlyList<IPEndPoint>>> ParentsAsync(FleetView fleet, IPEndPoint? resolver, CancellationToken cancel)
    {
        if (fleet.Check.Parents.Count > 0) return Outcome<IReadOnlyList<IPEndPoint>>.Success(fleet.Check.Parents.Select(IPEndPoint.Parse).ToList());
        var parent = Parent(fleet.Zone);
        if (resolver is null) return Outcome<IReadOnlyList<IPEndPoint>>.Failed($"no resolver to find the servers of {parent} with (none in check.resolvers or /etc/resolv.conf)");
        var ns = await DnsQuery.AskAsync(resolver, parent, RecordType.Ns, recursion: true, fleet.Timeout, cancel);
        if (!ns.Ok) return Outcome<IReadOnlyList<IPEndPoint>>.Failed($"asking {resolver} for the NS of {parent}: {ns.Error}");
        var servers = new List<IPEndPoint>();
        foreach (var name in ns.Value!.AnswerRecords.OfType<NsRecord>().Select(r => DnsQuery.Text(r.NameServer)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var address = await DnsQuery.AskAsync(resolver, name, RecordType.A, recursion: true, fleet.Timeout, cancel);
            if (address.Ok) servers.AddRange(DnsQuery.Addresses(address.Value!.AnswerRecords, name).Select(a => new IPEndPoint(a, 53)));
        }
        return servers.Count > 0
            ? Outcome<IReadOnlyList<IPEndPoint>>.Success(servers)
            : Outcome<IReadOnlyList<IPEndPoint>>.Failed($"{resolver} gave no NS (with addresses) for {parent} ({ns.Value.ReturnCode})");
    }

    public static string Parent(string zone) => zone.Contains('.', StringComparison.Ordinal) ? zone[(zone.IndexOf('.', StringComparison.Ordinal) + 1)..] : ".";

    /// <summary>A name as the parent's web form wants it: <c>ns2.edge</c> for ns2.edge.example.com under example.com.</summary>
    private static string Relative(string name, string parentZone) =>
        name.EndsWith("." + parentZone, StringComparison.OrdinalIgnoreCase) ? name[..^(parentZone.Length + 1)] : name;

    private static string Where(FleetView fleet, string name, IReadOnlyList<IPAddress> expected) =>
        expected.Select(fleet.NameserverAt).FirstOrDefault(n => n is not null) is { } ns
            ? $"{ns.Name} is at {Join(expected)}"
            : $"the zone puts {name} at {Join(expected)}";

    private static string Join(IEnumerable<IPAddress> addresses) => string.Join(", ", addresses.Select(a => a.ToString()));

    private static string Show(IPEndPoint endpoint) => endpoint.Port == 53 ? endpoint.Address.ToString() : endpoint.ToString();
}
