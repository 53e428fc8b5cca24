using System.Net;
using ARSoft.Tools.Net.Dns;
using GeoDns.Sidecar.Admin;
using GeoDns.Sidecar.Check;
using GeoDns.Sidecar.Commands;
using GeoDns.Sidecar.Rotation;
using GeoDns.Sidecar.State;

namespace GeoDns.Sidecar.Fleet;

/// <summary>
/// The <see cref="NameserverRotationStep.Provision"/> step: the new VPS installed, and every other nameserver whose files
/// changed (the zone's address of the moved one, the primary's allowFrom and notify, the followers' primary) installed
/// again, one at a time, each answering ready before the next, so the others keep answering. A new primary goes last:
/// a follower started again keeps its copy of the zone and waits out the SOA refresh (an hour) unless its primary
/// NOTIFYs it, which a primary does when it starts, so the followers must listen to it by then. A new follower goes
/// after its primary, which must allow its transfers (it has no copy, so it asks at once). Once every nameserver
/// answers the moved name with the new address, the new VPS gets the pool's edges from the sidecar (its file has none;
/// a follower has the pool only with the zone) and must see them Up.
/// </summary>
internal sealed class NameserverRotationProvision(SidecarSession session, Progress progress)
{
    public async Task<Outcome> RunAsync(FleetNameserver moved, CancellationToken cancel)
    {
        progress.Step("home", "writing every nameserver's files");
        var rendered = session.RenderAll();
        if (!rendered.Ok) return rendered;
        var fleet = session.Options.Fleet;
        var primaryMoves = fleet.Transfers && fleet.Nameservers[0] == moved;
        foreach (var i in Enumerable.Range(0, fleet.Nameservers.Count).OrderBy(i => primaryMoves && i == 0 ? 1 : 0).ThenBy(i => i))
        {
            var nameserver = fleet.Nameservers[i];
            var package = FleetBootstrap.Package(session, nameserver.Name);
            if (!package.Ok) return package.WithoutValue();
            var done = await FleetBootstrap.ProvisionAsync(session, i, package.Value!, progress, cancel);
            if (!done.Ok) return done;
            var ready = await FleetBootstrap.ReadyAsync(session, nameserver.Name, session.Nameservers.Clients[i], FleetBootstrap.PackageVersion(package.Value!), progress, fleet.ReadyTimeout, cancel);
            if (!ready.Ok) return ready;
        }
        var announced = await AnnouncedAsync(moved, cancel);
        if (!announced.Ok) return announced;
        return await EdgesAsync(moved.Name, session.Nameservers.Clients[fleet.Nameservers.IndexOf(moved)], cancel);
    }

    /// <summary>
    /// Adds every live edge the sidecar knows on the new nameserver (draining ones drained), then waits until it sees Up
    /// each edge another nameserver sees Up: it must answer the pool as the others do before the parent points at it.
    /// </summary>
    private async Task<Outcome> EdgesAsync(string name, NameserverClient client, CancellationToken cancel)
    {
        var policy = session.Options.Rotation;
        var retry = RetryPipeline.Build<Outcome>(policy, session.Time, policy.AdminTimeout, o => o.Retryable);
        var edges = session.Inventory.All().Where(e => e.Role != EdgeRole.Retired && e.Host.Exists).ToList();
        foreach (var edge in edges)
        {
            var added = await retry.RunAsync(t => client.AddEdgeAsync(session.Nameservers.Pool, edge.Host, t), reason => Outcome.Failed($"{client}: {reason}"), cancel);
            if (added.Ok && edge.Role == EdgeRole.Draining)
                added = await retry.RunAsync(t => client.DrainAsync(edge.Name, RotationSteps.DrainReason, t), reason => Outcome.Failed($"{client}: {reason}"), cancel);
            if (!added.Ok) return Outcome.Failed($"{name}: {added.Error}");
        }
        progress.Step(name, $"given the pool's {edges.Count} edges");
        var start = session.Time.GetTimestamp();
        while (true)
        {
            var lists = await session.Nameservers.ListsAsync(cancel);
            var mine = lists.First(l => l.Nameserver == client).Edges;
            var upElsewhere = lists.Where(l => l.Nameserver != client && l.Edges.Ok).SelectMany(l => l.Edges.Value!).Where(e => e.IsUp)
                .Select(e => e.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var pending = edges.Where(e => e.Role == EdgeRole.Serving && upElsewhere.Contains(e.Name))
                .Select(e => (e.Name, Seen: mine.Ok ? mine.Value!.FirstOrDefault(s => s.Name.Equals(e.Name, StringComparison.OrdinalIgnoreCase)) : null))
                .Where(e => e.Seen is not { IsUp: true }).Select(e => $"{e.Name} {(mine.Ok ? e.Seen?.Describe() ?? "not listed" : mine.Error)}").ToList();
            if (pending.Count == 0)
            {
                progress.Step(name, "sees Up every edge the other nameservers see Up");
                return Outcome.Success;
            }
            if (session.Time.GetElapsedTime(start) >= policy.UpTimeout)
                return Outcome.Failed($"{name}: not every edge Up within {policy.UpTimeout}: {string.Join(", ", pending)}");
            progress.Waiting(name, $"until it sees the edges Up ({string.Join(", ", pending)})");
            await Task.Delay(policy.PollInterval, session.Time, cancel);
        }
    }

    /// <summary>Until every nameserver answers <c>NAME.ZONE</c>, authoritatively, with exactly the moved nameserver's new addresses.</summary>
    private async Task<Outcome> AnnouncedAsync(FleetNameserver moved, CancellationToken cancel)
    {
        var fleet = session.Options.Fleet;
        var name = $"{moved.Name}.{fleet.Zone.TrimEnd('.')}";
        var expected = new[] { moved.Ipv4, moved.Ipv6 }.OfType<string>().Select(IPAddress.Parse).ToHashSet();
        var start = session.Time.GetTimestamp();
        while (true)
        {
            var said = await DisagreementAsync(fleet, name, expected, cancel);
            if (said is null)
            {
                progress.Step(moved.Name, $"every nameserver answers {name} with {string.Join(", ", expected)}");
                return Outcome.Success;
            }
            if (session.Time.GetElapsedTime(start) >= fleet.ReadyTimeout)
                return Outcome.Failed($"not every nameserver answers {name} with its new address within {fleet.ReadyTimeout}: {said}"
                    + " (a follower takes its primary's new zone on its NOTIFY, else after the SOA refresh, an hour)");
            progress.Waiting(moved.Name, $"until every nameserver answers {name} with its new address ({said})");
            await Task.Delay(session.Options.Rotation.PollInterval, session.Time, cancel);
        }
    }

    /// <summary>What the first nameserver that does not answer <paramref name="expected"/> says, or null when all do.</summary>
    private async Task<string?> DisagreementAsync(FleetOptions fleet, string name, HashSet<IPAddress> expected, CancellationToken cancel)
    {
        foreach (var nameserver in fleet.Nameservers)
        {
            var server = new IPEndPoint(IPAddress.Parse(nameserver.Ipv4 ?? nameserver.Ipv6!), fleet.DnsPort);
            var answered = new HashSet<IPAddress>();
            foreach (var type in new[] { RecordType.A, RecordType.Aaaa })
            {
                var asked = await DnsQuery.AskAsync(server, name, type, recursion: false, session.Options.Check.Timeout, cancel);
                if (!asked.Ok) return $"{nameserver.Name}: {asked.Error}";
                if (!asked.Value!.IsAuthoritiveAnswer) return $"{nameserver.Name} at {server} answers {name} {type} without authority ({asked.Value.ReturnCode})";
                answered.UnionWith(DnsQuery.Addresses(asked.Value.AnswerRecords, name));
            }
            if (!answered.SetEquals(expected))
                return $"{nameserver.Name} answers {(answered.Count == 0 ? "no address" : string.Join(", ", answered))}";
        }
        return null;
    }
}
