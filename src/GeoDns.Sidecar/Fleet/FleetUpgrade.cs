using GeoDns.Sidecar.Commands;
using GeoDns.Sidecar.Rotation;
using GeoDns.Sidecar.State;

namespace GeoDns.Sidecar.Fleet;

/// <summary>
/// <c>upgrade</c>: the nameservers to a new package, one at a time, so the others answer meanwhile. Each is installed
/// (the provisionNameserver hook with the new package), restarted, and must come back within <c>fleet.readyTimeout</c>
/// answering ready (its first probe round done) on the package's version, with the same zones and the same edges it
/// had before. One that does not (a build that exits as it starts fails the hook itself) is rolled back to the package it
/// had, installed again whatever the state records, and the upgrade stops there: the nameservers after it are not
/// touched. Each nameserver's upgrade is journaled (from, to) before the package goes in, so a run killed half way is
/// rolled back by the next before anything else. Run again, it skips those on the new package already. With <c>--edges</c>, the edges
/// are then provisioned again one at a time (the edge guard and nginx config they get): each is drained first and
/// undrained once every nameserver sees it Up again, so no answer points at an edge while it restarts.
/// </summary>
public static class FleetUpgrade
{
    public static async Task<Outcome> RunAsync(SidecarSession session, string package, bool edges, Progress progress, UpgradeReport report, CancellationToken cancel)
    {
        var options = session.Options;
        if (new NameserverRotationJournal(session.State, session.Time).Refusal("upgrade") is { } rotating) return Outcome.Failed(rotating);
        if (!FleetBootstrap.Provisions(options)) return Outcome.Failed("upgrade needs fleet.nameservers and hooks.provisionNameserver (docs/configuration.md, Fleet)");
        if (FleetBootstrap.Problem(options) is { } problem) return Outcome.Failed($"preflight: {problem}");
        package = Path.GetFullPath(package);
        if (!File.Exists(package)) return Outcome.Failed($"{package} does not exist");
        var version = FleetBootstrap.PackageVersion(package);
        if (version is null) return Outcome.Failed($"{Path.GetFileName(package)} is not named geodns_VERSION_ARCH.deb, so the version to wait for is unknown");
        if (options.Fleet.Nameservers.Any(n => !n.Exists)) return Outcome.Failed("a nameserver is not bought yet: run `geodns-sidecar bootstrap` first");
        // The state records the kept copy: bootstrap and rotate install it again, and a later upgrade rolls back to it.
        var given = package;
        package = NameserverPackages.Keep(options.Data, package);

        var fleet = options.Fleet;
        var timeout = options.Rotation.AdminTimeout;
        for (var i = 0; i < fleet.Nameservers.Count; i++)
        {
            var name = fleet.Nameservers[i].Name;
            var client = session.Nameservers.Clients[i];
            if (session.FleetState.Upgrading(name) is { } unfinished)
            {
                // A run killed half way, or a rollback that failed: what the nameserver runs is unknown, and the state's record
                // may name the new package by now. Back to the one it ran before, as journaled, before anything else.
                progress.Step(name, $"its upgrade to {Path.GetFileName(unfinished.To)} did not finish; rolling back to {Path.GetFileName(unfinished.From)} first");
                var restored = await RollBackAsync(session, i, unfinished.From, progress, cancel);
                if (!restored.Ok)
                {
                    report.RolledBack = name;
                    return Outcome.Failed($"{name}: its unfinished upgrade to {Path.GetFileName(unfinished.To)} could not be rolled back to {Path.GetFileName(unfinished.From)}: {restored.Error}; nothing else was installed");
                }
            }
            var previous = Previous(session, name, given, package);
            if (!previous.Ok) return previous.WithoutValue();
            var now = await client.ProbeAsync(timeout, session.Time, cancel, edges: true);
            if (!now.Ok) return Outcome.Failed($"{name} unreachable: {now.Error}; nothing installed on it");
            if (previous.Value == package && now.Value!.Ready && FleetBootstrap.SameVersion(now.Value.Health.Version, version))
            {
                progress.Step(name, $"on {version} already");
                report.Already.Add(name);
                continue;
            }
            // The others must be answering before this one goes down, or the zone could go dark.
            for (var j = 0; j < fleet.Nameservers.Count; j++)
            {
                if (j == i) continue;
                var other = await FleetBootstrap.ReadyAsync(session, fleet.Nameservers[j].Name, session.Nameservers.Clients[j], null, progress, fleet.ReadyTimeout, cancel);
                if (!other.Ok) return Outcome.Failed($"{fleet.Nameservers[j].Name} is not ready, so {name} stays up: {other.Error}");
            }
            // What it served before is what it must serve after; one not ready now (degraded) has no such baseline.
            var before = now.Value!.Ready ? Served.Of(now.Value) : null;
            progress.Step(name, $"upgrading from {FleetBootstrap.PackageVersion(previous.Value!) ?? Path.GetFileName(previous.Value)} to {version}");
            session.FleetState.SaveUpgrading(name, new NameserverUpgrade(previous.Value!, package, session.Time.GetUtcNow()));
            // Forced: a run again after a failure installs it again even where the state says it has it.
            var installed = await FleetBootstrap.ProvisionAsync(session, i, package, progress, cancel, force: true);
            var back = installed.Ok ? await BackAsync(session, name, client, version, before, progress, cancel) : installed;
            if (back.Ok)
            {
                session.FleetState.EndUpgrading(name);
                report.Upgraded.Add(name);
                continue;
            }
            progress.Step(name, $"did not come back on {version} ({back.Error}); rolling back to {Path.GetFileName(previous.Value)}");
            var again = await RollBackAsync(session, i, previous.Value!, progress, cancel);
            report.RolledBack = name;
            return Outcome.Failed(again.Ok
                ? $"{name} did not come back on {version}: {back.Error}; rolled back to {Path.GetFileName(previous.Value)}, and it answers again; the nameservers after it were not touched"
                : $"{name} did not come back on {version}: {back.Error}; the rollback to {Path.GetFileName(previous.Value)} failed too: {again.Error}; `upgrade` again tries the rollback first");
        }
        return edges ? await EdgesAsync(session, progress, report, cancel) : Outcome.Success;
    }

    /// <summary>
    /// Installs <paramref name="package"/> on nameserver <paramref name="index"/> again, even where the state says it has
    /// it (a hook that failed half way records nothing), and waits until it answers on that version; then the upgrade's
    /// journal is closed.
    /// </summary>
    private static async Task<Outcome> RollBackAsync(SidecarSession session, int index, string package, Progress progress, CancellationToken cancel)
    {
        var name = session.Options.Fleet.Nameservers[index].Name;
        if (!File.Exists(package)) return Outcome.Failed($"the package to roll back to, {package}, is missing");
        var restored = await FleetBootstrap.ProvisionAsync(session, index, package, progress, cancel, force: true);
        var ready = restored.Ok
            ? await FleetBootstrap.ReadyAsync(session, name, session.Nameservers.Clients[index], FleetBootstrap.PackageVersion(package), progress, session.Options.Fleet.ReadyTimeout, cancel)
            : restored;
        if (ready.Ok) session.FleetState.EndUpgrading(name);
        return ready;
    }

    /// <summary>
    /// The package nameserver <paramref name="name"/> runs, to roll back to. One recorded whose file is gone (given from a
    /// /tmp that was cleaned, before packages were kept) is taken to be <paramref name="given"/> when that has its name:
    /// bootstrap asks for exactly this, "run upgrade with it again".
    /// </summary>
    private static Outcome<string> Previous(SidecarSession session, string name, string given, string kept)
    {
        if (session.FleetState.LastProvisioned(name) is not { } last)
            return Outcome<string>.Failed($"{name}: no package on record (not provisioned by bootstrap): run `geodns-sidecar bootstrap` first");
        if (File.Exists(last.Package)) return Outcome<string>.Success(last.Package);
        if (Path.GetFileName(last.Package) != Path.GetFileName(given))
            return Outcome<string>.Failed($"{name}: the recorded package {last.Package} is missing, so a failed upgrade would have nothing to roll back to: "
                + $"run `geodns-sidecar upgrade` with {Path.GetFileName(last.Package)} again first");
        session.FleetState.SaveProvisioned(name, last with { Package = kept });
        return Outcome<string>.Success(kept);
    }

    /// <summary>Back means: ready on the new version, serving the zones and knowing the edges it did before (when it was ready before).</summary>
    private static async Task<Outcome> BackAsync(SidecarSession session, string name, Admin.NameserverClient client, string version, Served? before, Progress progress, CancellationToken cancel)
    {
        var ready = await FleetBootstrap.ReadyAsync(session, name, client, version, progress, session.Options.Fleet.ReadyTimeout, cancel);
        if (!ready.Ok || before is null) return ready;
        var probe = await client.ProbeAsync(session.Options.Rotation.AdminTimeout, session.Time, cancel, edges: true);
        if (!probe.Ok) return probe.WithoutValue();
        var after = Served.Of(probe.Value!);
        if (!after.Zones.SetEquals(before.Zones)) return Outcome.Failed($"it serves {Show(after.Zones)}, not {Show(before.Zones)}");
        if (!after.Edges.SetEquals(before.Edges)) return Outcome.Failed($"it knows the edges {Show(after.Edges)}, not {Show(before.Edges)}");
        return Outcome.Success;
    }

    private sealed record Served(HashSet<string> Zones, HashSet<string> Edges)
    {
        public static Served Of(Admin.NameserverProbe probe) => new(
            probe.Zones.ToHashSet(StringComparer.OrdinalIgnoreCase), (probe.Edges ?? []).Select(e => e.Name).ToHashSet(StringComparer.OrdinalIgnoreCase));
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
