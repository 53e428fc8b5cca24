using GeoDns.Sidecar.Commands;
using GeoDns.Sidecar.Rotation;
using GeoDns.Sidecar.State;

namespace GeoDns.Sidecar.Fleet;

/// <summary>
/// <c>upgrade</c>: the nameservers to a new package, one at a time, so the others answer meanwhile. Each is installed
/// (the provisionNameserver hook with the new package), restarted, and must come back within <c>fleet.readyTimeout</c>
/// answering ready (its first probe round done) on the package's version, with the same zones and the same edges it
/// had before. One that does not is rolled back to the package it had, and the upgrade stops there: the nameservers
/// after it are not touched. Run again, it skips those on the new package already. With <c>--edges</c>, the edges
/// are then provisioned again one at a time (the edge guard and nginx config they get): each is drained first and
/// undrained once every nameserver sees it Up again, so no answer points at an edge while it restarts.
/// </summary>
public static class FleetUpgrade
{
    public static async Task<Outcome> RunAsync(SidecarSession session, string package, bool edges, Progress progress, UpgradeReport report, CancellationToken cancel)
    {
        var options = session.Options;
        if (!FleetBootstrap.Provisions(options)) return Outcome.Failed("upgrade needs fleet.nameservers and hooks.provisionNameserver (docs/configuration.md, Fleet)");
        if (FleetBootstrap.Problem(options) is { } problem) return Outcome.Failed($"preflight: {problem}");
        package = Path.GetFullPath(package);
        if (!File.Exists(package)) return Outcome.Failed($"{package} does not exist");
        var version = FleetBootstrap.PackageVersion(package);
        if (version is null) return Outcome.Failed($"{Path.GetFileName(package)} is not named geodns_VERSION_ARCH.deb, so the version to wait for is unknown");
        if (options.Fleet.Nameservers.Any(n => !n.Exists)) return Outcome.Failed("a nameserver is not bought yet: run `geodns-sidecar bootstrap` first");
        // The state records the kept copy: bootstrap and rotate install it again, and a later upgrade rolls back to it.
        package = NameserverPackages.Keep(options.Data, package);

        var fleet = options.Fleet;
        for (var i = 0; i < fleet.Nameservers.Count; i++)
        {
            var name = fleet.Nameservers[i].Name;
            var client = session.Nameservers.Clients[i];
            var previous = session.FleetState.LastProvisioned(name)?.Package is { } recorded && File.Exists(recorded) ? recorded : null;
            if (previous == package && (await client.HealthAsync(cancel)) is { Ok: true } now && now.Value!.Status == "ready" && FleetBootstrap.SameVersion(now.Value.Version, version))
            {
                progress.Step(name, $"on {version} already");
                report.Already.Add(name);
                continue;
            }
            if (previous is null) return Outcome.Failed($"{name}: no package on record (not provisioned by bootstrap, or the file is gone): run `geodns-sidecar bootstrap` first");
            // The others must be answering before this one goes down, or the zone could go dark.
            for (var j = 0; j < fleet.Nameservers.Count; j++)
            {
                if (j == i) continue;
                var other = await FleetBootstrap.ReadyAsync(session, fleet.Nameservers[j].Name, session.Nameservers.Clients[j], null, progress, fleet.ReadyTimeout, cancel);
                if (!other.Ok) return Outcome.Failed($"{fleet.Nameservers[j].Name} is not ready, so {name} stays up: {other.Error}");
            }
            var before = await ServedAsync(client, cancel);
            if (!before.Ok) return Outcome.Failed($"{name}: {before.Error}");
            progress.Step(name, $"upgrading from {FleetBootstrap.PackageVersion(previous) ?? Path.GetFileName(previous)} to {version}");
            var installed = await FleetBootstrap.ProvisionAsync(session, i, package, progress, cancel);
            var back = installed.Ok ? await BackAsync(session, name, client, version, before.Value!, progress, cancel) : installed;
            if (back.Ok)
            {
                report.Upgraded.Add(name);
                continue;
            }
            progress.Step(name, $"did not come back on {version} ({back.Error}); rolling back to {Path.GetFileName(previous)}");
            var restored = await FleetBootstrap.ProvisionAsync(session, i, previous, progress, cancel);
            var again = restored.Ok ? await FleetBootstrap.ReadyAsync(session, name, client, FleetBootstrap.PackageVersion(previous), progress, fleet.ReadyTimeout, cancel) : restored;
            report.RolledBack = name;
            return Outcome.Failed(again.Ok
                ? $"{name} did not come back on {version}: {back.Error}; rolled back to {Path.GetFileName(previous)}, and it answers again; the nameservers after it were not touched"
                : $"{name} did not come back on {version}: {back.Error}; the rollback to {Path.GetFileName(previous)} failed too: {again.Error}");
        }
        return edges ? await EdgesAsync(session, progress, report, cancel) : Outcome.Success;
    }

    /// <summary>Back means: ready on the new version, serving the zones and knowing the edges it did before.</summary>
    private static async Task<Outcome> BackAsync(SidecarSession session, string name, Admin.NameserverClient client, string version, Served before, Progress progress, CancellationToken cancel)
    {
        var ready = await FleetBootstrap.ReadyAsync(session, name, client, version, progress, session.Options.Fleet.ReadyTimeout, cancel);
        if (!ready.Ok) return ready;
        var after = await ServedAsync(client, cancel);
        if (!after.Ok) return Outcome.Failed(after.Error!);
        if (!after.Value!.Zones.SetEquals(before.Zones)) return Outcome.Failed($"it serves {Show(after.Value.Zones)}, not {Show(before.Zones)}");
        if (!after.Value.Edges.SetEquals(before.Edges)) return Outcome.Failed($"it knows the edges {Show(after.Value.Edges)}, not {Show(before.Edges)}");
        return Outcome.Success;
    }

    private sealed record Served(HashSet<string> Zones, HashSet<string> Edges);

    private static async Task<Outcome<Served>> ServedAsync(Admin.NameserverClient client, CancellationToken cancel)
    {
        try
        {
            var zones = await client.ZonesAsync(cancel);
            var edges = await client.EdgeViewsAsync(cancel);
            if (!zones.Ok || !edges.Ok) return Outcome<Served>.Failed(zones.Error ?? edges.Error!);
            return Outcome<Served>.Success(new Served(
                zones.Value!.ToHashSet(StringComparer.OrdinalIgnoreCase), edges.Value!.Select(e => e.Name).ToHashSet(StringComparer.OrdinalIgnoreCase)));
        }
        catch (HttpRequestException e)
        {
            return Outcome<Served>.Failed($"{client}: {e.Message}");
        }
    }

    /// <summary>Each serving edge provisioned again, out of the answers meanwhile.</summary>
    private static async Task<Outcome> EdgesAsync(SidecarSession session, Progress progress, UpgradeReport report, CancellationToken cancel)
    {
        var policy = session.Options.Rotation;
        foreach (var edge in session.Inventory.All().Where(e => e.Role == EdgeRole.Serving && e.Host.Exists))
        {
            progress.Step(edge.Name, "out of the answers while it is provisioned again");
            var drained = await session.Nameservers.DrainAsync(edge.Name, "upgrade", cancel);
            if (!drained.Ok) return drained;
            // Resolvers hold the last answer with it for the pool's TTL.
            progress.Waiting(edge.Name, $"{(policy.PoolTtl + policy.DrainMargin).TotalSeconds:F0} s for answers that name it to expire");
            await Task.Delay(policy.PoolTtl + policy.DrainMargin, session.Time, cancel);
            var provisioned = await session.Provider.ProvisionAsync(edge.Host, session.Files.WireGuardPath(edge.Name), session.Files.NginxPath(edge.Name), cancel);
            if (!provisioned.Ok) return Outcome.Failed($"{edge.Name}: {provisioned.Error} (it stays drained: run upgrade --edges again)");
            var up = await UpWait.AllUpAsync(session, [edge.Name], (e, states) => progress.Waiting(e, $"until every nameserver sees it Up ({states})"), cancel);
            if (!up.Ok) return Outcome.Failed($"{edge.Name}: {up.Error} (it stays drained)");
            var back = await session.Nameservers.UndrainAsync(edge.Name, cancel);
            if (!back.Ok) return back;
            report.Edges.Add(edge.Name);
            progress.Step(edge.Name, "provisioned again and back in the answers");
        }
        return Outcome.Success;
    }

    private static string Show(IEnumerable<string> names) => names.Any() ? string.Join(", ", names.Order(StringComparer.Ordinal)) : "none";
}

/// <summary>What <c>upgrade</c> did: its summary, as text or (<c>--json</c>) the only document on stdout.</summary>
public sealed class UpgradeReport
{
    public string? Package { get; set; }
    public bool Ok { get; set; }
    public string? Error { get; set; }
    public List<string> Upgraded { get; } = [];
    public List<string> Already { get; } = [];
    public List<string> Edges { get; } = [];
    public string? RolledBack { get; set; }

    public IEnumerable<string> Lines()
    {
        yield return Ok ? $"upgrade: every nameserver on {Package}" : $"upgrade failed: {Error}";
        if (Upgraded.Count > 0) yield return $"  upgraded:    {string.Join(", ", Upgraded)}";
        if (Already.Count > 0) yield return $"  already on it: {string.Join(", ", Already)}";
        if (RolledBack is not null) yield return $"  rolled back: {RolledBack}";
        if (Edges.Count > 0) yield return $"  edges provisioned again: {string.Join(", ", Edges)}";
    }
}
