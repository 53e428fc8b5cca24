using System.Net;
using ARSoft.Tools.Net.Dns;
using GeoDns.Sidecar.Check;
using GeoDns.Sidecar.Commands;

namespace GeoDns.Sidecar.Fleet;

/// <summary>
/// The parent's part: the delegate hook makes the parent serve the zone's NS and glue, or, without one, the records
/// are printed for a person to add (at Cloudflare's web UI, DNS only); either way bootstrap then polls the parent's
/// servers, asked without recursion as a resolver asks them, until each refers the zone to exactly the fleet's
/// nameservers with their addresses as glue.
/// </summary>
public static class Delegation
{
    public static async Task<Outcome> RunAsync(SidecarSession session, Progress progress, FleetReport report, CancellationToken cancel)
    {
        var fleet = session.Options.Fleet;
        var (zone, parent) = (fleet.Zone.TrimEnd('.'), fleet.ParentZone);
        var expected = fleet.Nameservers.ToDictionary(n => $"{n.Name}.{zone}".ToLowerInvariant(),
            n => new[] { n.Ipv4, n.Ipv6 }.OfType<string>().Select(IPAddress.Parse).ToHashSet());
        if (!string.IsNullOrWhiteSpace(session.Options.Hooks.Delegate))
        {
            progress.Step("parent", $"delegating {zone} at {parent} (delegate hook)");
            var done = await session.Provider.DelegateAsync(zone, parent,
                fleet.Nameservers.Select(n => $"{n.Name}.{zone} {n.Ipv4 ?? "-"} {n.Ipv6 ?? "-"}"), fleet.DelegationTtl, cancel);
            if (!done.Ok) return Outcome.Failed($"delegation at {parent}: {done.Error}");
            report.Delegation = "made by the delegate hook";
        }
        else
        {
            progress.Step("parent", $"no delegate hook: add these records in the zone {parent} at its DNS host (DNS only, not proxied), TTL {fleet.DelegationTtl}:");
            foreach (var line in Records(fleet, zone, parent)) progress.Line("    " + line);
            report.Delegation = "added by hand";
        }

        var view = new FleetView(session.Options, [], zone, session.Time);
        var start = session.Time.GetTimestamp();
        var said = "";
        while (true)
        {
            var servers = await DelegationCheck.ParentsAsync(view, Resolver(session.Options), cancel);
            said = servers.Ok ? await MismatchAsync(servers.Value!, zone, expected, session.Options.Check.Timeout, cancel) ?? "" : servers.Error!;
            if (servers.Ok && said == "")
            {
                progress.Step("parent", $"{string.Join(", ", servers.Value!)} delegate {zone} to {string.Join(", ", expected.Keys)}, glue included");
                return Outcome.Success;
            }
            if (session.Time.GetElapsedTime(start) >= fleet.DelegationTimeout)
                return Outcome.Failed($"the parent does not delegate {zone} as it should after {fleet.DelegationTimeout}: {said}");
            progress.Waiting("parent", $"until it serves the delegation ({said})");
            await Task.Delay(session.Options.Rotation.PollInterval * 2, session.Time, cancel);
        }
    }

    /// <summary>The records to add at the parent, as its web form asks for them (names relative to it).</summary>
    public static IEnumerable<string> Records(FleetOptions fleet, string zone, string parent)
    {
        string Relative(string name) => name.EndsWith("." + parent, StringComparison.OrdinalIgnoreCase) ? name[..^(parent.Length + 1)] : name + ".";
        // Glue first: a resolver must never meet the new NS without an address.
        foreach (var n in fleet.Nameservers)
        {
            if (n.Ipv4 is not null) yield return $"{Relative($"{n.Name}.{zone}"),-24} A     {n.Ipv4}";
            if (n.Ipv6 is not null) yield return $"{Relative($"{n.Name}.{zone}"),-24} AAAA  {n.Ipv6}";
        }
        foreach (var n in fleet.Nameservers) yield return $"{Relative(zone),-24} NS    {n.Name}.{zone}";
    }

    /// <summary>What the first parent server that disagrees says (its NS names or glue), or null when all agree.</summary>
    private static async Task<string?> MismatchAsync(IReadOnlyList<IPEndPoint> servers, string zone, Dictionary<string, HashSet<IPAddress>> expected, TimeSpan timeout, CancellationToken cancel)
    {
        foreach (var server in servers)
        {
            var asked = await DnsQuery.AskAsync(server, zone, RecordType.Ns, recursion: false, timeout, cancel);
            if (!asked.Ok) return $"{server}: {asked.Error}";
            var reply = asked.Value!;
            var names = reply.AuthorityRecords.Concat(reply.AnswerRecords).OfType<NsRecord>().Where(r => DnsQuery.Same(r.Name, zone))
                .Select(r => DnsQuery.Text(r.NameServer).ToLowerInvariant()).ToHashSet();
            if (!names.SetEquals(expected.Keys))
                return $"{server} names {(names.Count == 0 ? "no NS" : string.Join(", ", names.Order(StringComparer.Ordinal)))}";
            foreach (var (name, addresses) in expected)
            {
                var glue = DnsQuery.Addresses(reply.AdditionalRecords, name).ToHashSet();
                if (!glue.SetEquals(addresses)) return $"{server} has glue {(glue.Count == 0 ? "none" : string.Join(", ", glue))} for {name}";
            }
        }
        return null;
    }

    private static IPEndPoint? Resolver(SidecarOptions options)
    {
        if (options.Check.Resolvers is { Count: > 0 } listed) return listed[0].Endpoint();
        return ResolvConf.FirstNameserver() is { } first ? new IPEndPoint(first, 53) : null;
    }
}
