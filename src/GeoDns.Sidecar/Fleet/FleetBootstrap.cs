using System.Security.Cryptography;
using System.Text;
using GeoDns.Sidecar.Commands;
using GeoDns.Sidecar.Hooks;

namespace GeoDns.Sidecar.Fleet;

/// <summary>
/// The nameservers' part of <c>bootstrap</c>, before any edge: buy the nameservers listed by country (create hook),
/// write every nameserver's files, install each (provisionNameserver hook: the package, the files, its tunnel), bring
/// the home's tunnels up, wait until each answers on its tunnel, ready, on the package's version, then have the parent
/// delegate the zone (delegate hook, or the records printed for a person to add) and wait until it does. Every step
/// is journaled in the state file or idempotent, so a run again after a kill finishes the job: a bought nameserver is
/// never bought again, and one provisioned with the same package and files is not restarted.
/// </summary>
public static class FleetBootstrap
{
    /// <summary>Whether bootstrap sets the nameservers up: a fleet, and the hook that installs one.</summary>
    public static bool Provisions(SidecarOptions options) => options.Fleet.Configured && !string.IsNullOrWhiteSpace(options.Hooks.ProvisionNameserver);

    /// <summary>What must hold before anything is bought: the hooks it will run and the package.</summary>
    public static string? Problem(SidecarOptions options)
    {
        var fleet = options.Fleet;
        var hooks = new List<(string, string)> { ("provisionNameserver", options.Hooks.ProvisionNameserver) };
        if (fleet.Nameservers.Any(n => !n.Exists)) hooks.Add(("create", options.Hooks.Create));
        if (!string.IsNullOrWhiteSpace(options.Hooks.Delegate)) hooks.Add(("delegate", options.Hooks.Delegate));
        if (HookOptions.Problem([.. hooks]) is { } problem) return problem;
        if (string.IsNullOrWhiteSpace(fleet.Package))
            return "fleet.package: not set; the provisionNameserver hook installs it (deploy/package/build-deb.sh builds geodns_V_ARCH.deb)";
        return File.Exists(fleet.Package) ? null : $"fleet.package: {fleet.Package} does not exist";
    }

    /// <summary>Buys, installs and delegates; <paramref name="report"/> hears each nameserver bought and provisioned.</summary>
    public static async Task<Outcome> RunAsync(SidecarSession session, Progress progress, FleetReport report, CancellationToken cancel)
    {
        var options = session.Options;
        var fleet = options.Fleet;
        foreach (var nameserver in fleet.Nameservers.Where(n => !n.Exists))
        {
            progress.Step(nameserver.Name, $"creating a VPS in {nameserver.Country} (create hook)");
            var made = await session.Provider.CreateAsync(nameserver.Name, new EdgeHost { Name = nameserver.Name, Country = nameserver.Country }, cancel, role: "nameserver");
            if (!made.Ok) return Outcome.Failed($"{nameserver.Name}: {made.Error}");
            var host = made.Value! with { Name = nameserver.Name };
            session.FleetState.SaveBought(host, session.Options.Data);
            (nameserver.Ipv4, nameserver.Ipv6) = (host.Ipv4, host.Ipv6);
            report.Bought.Add($"{nameserver.Name} ({nameserver.Ipv4 ?? nameserver.Ipv6})");
            progress.Step(nameserver.Name, $"created at {nameserver.Ipv4 ?? nameserver.Ipv6}");
        }
        options.FollowFleet();

        progress.Step("home", "writing every nameserver's files");
        var rendered = session.RenderAll();
        if (!rendered.Ok) return rendered;
        var packages = new List<string>();
        for (var i = 0; i < fleet.Nameservers.Count; i++)
        {
            // A nameserver keeps the package it has (upgrade changes it); a new one gets fleet.package.
            var package = Package(session, fleet.Nameservers[i].Name);
            if (!package.Ok) return package.WithoutValue();
            packages.Add(package.Value!);
            var done = await ProvisionAsync(session, i, package.Value!, progress, cancel);
            if (!done.Ok) return done;
            if (done.Note is null) report.Provisioned.Add(fleet.Nameservers[i].Name);
        }

        progress.Step("home", "applying the WireGuard tunnels to the nameservers");
        var applied = await session.ApplyRetry.RunAsync(token => session.Apply.RunAsync(session.WriteHome(), token), reason => Outcome.Failed(reason), cancel);
        if (!applied.Ok) return applied;
        for (var i = 0; i < fleet.Nameservers.Count; i++)
        {
            var ready = await ReadyAsync(session, fleet.Nameservers[i].Name, session.Nameservers.Clients[i], PackageVersion(packages[i]), progress, fleet.ReadyTimeout, cancel);
            if (!ready.Ok) return ready;
        }
        return await Delegation.RunAsync(session, progress, report, cancel);
    }

    /// <summary>
    /// The package to install nameserver <paramref name="name"/> again with: the one it was last provisioned with (an
    /// upgrade's), else <c>fleet.package</c>, kept (<see cref="NameserverPackages"/>). A recorded package whose file is
    /// gone fails: falling back to fleet.package would quietly install another version, often an older one.
    /// </summary>
    public static Outcome<string> Package(SidecarSession session, string name)
    {
        if (session.FleetState.LastProvisioned(name)?.Package is { } recorded)
            return File.Exists(recorded) ? Outcome<string>.Success(recorded)
                : Outcome<string>.Failed($"{name}: the recorded package {recorded} is missing; run `geodns-sidecar upgrade` with it ({Path.GetFileName(recorded)}) again");
        var package = session.Options.Fleet.Package;
        if (string.IsNullOrWhiteSpace(package) || !File.Exists(package)) return Outcome<string>.Failed($"fleet.package: {package ?? "not set"} does not exist");
        return Outcome<string>.Success(NameserverPackages.Keep(session.Options.Data, package));
    }

    /// <summary>
    /// Runs the provisionNameserver hook for nameserver <paramref name="index"/> with <paramref name="package"/> and its
    /// files as written now, and records the package, the files' digest and the VPS. Noted (and nothing run) when its VPS
    /// has exactly these already, unless <paramref name="force"/>: a rollback after a hook that failed half way (a build
    /// that does not start) must install again what the state still records.
    /// </summary>
    public static async Task<Outcome> ProvisionAsync(SidecarSession session, int index, string package, Progress progress, CancellationToken cancel, bool force = false)
    {
        var nameserver = session.Options.Fleet.Nameservers[index];
        var files = Files(session, nameserver, package);
        var digest = Digest(files);
        var vps = nameserver.Vps ?? nameserver.Name;
        var last = session.FleetState.LastProvisioned(nameserver.Name);
        // The VPS counts too: a rotated nameserver's files may be the same as its old VPS's (a follower listening on 0.0.0.0).
        if (!force && last is not null && last.Package == package && last.Files == digest && string.Equals(last.Host ?? nameserver.Name, vps, StringComparison.OrdinalIgnoreCase))
        {
            progress.Step(nameserver.Name, $"provisioned already with {Path.GetFileName(package)} and these files");
            return Outcome.Noted("provisioned already");
        }
        progress.Step(nameserver.Name, $"installing {Path.GetFileName(package)} and its files on {vps} (provisionNameserver hook)");
        var done = await session.Provider.ProvisionNameserverAsync(Host(nameserver), session.Tunnel.Nameserver(index).ToString(), files, cancel);
        if (!done.Ok) return Outcome.Failed($"{nameserver.Name}: {done.Error}");
        session.FleetState.SaveProvisioned(nameserver.Name, new Provisioned(package, digest, session.Time.GetUtcNow(), vps));
        progress.Step(nameserver.Name, "provisioned");
        return Outcome.Success;
    }

    /// <summary>What the hook installs on <paramref name="nameserver"/>: its files, its tunnel config, the package.</summary>
    public static EdgeProvider.NameserverFiles Files(SidecarSession session, FleetNameserver nameserver, string package) =>
        new(session.FleetPath(nameserver.Name), session.Files.NameserverPath(nameserver.Name), package, session.Options.Fleet.DnsPort, session.Options.Fleet.AdminPort);

    /// <summary>The nameserver's VPS as the hooks get it: named as the provider knows it (<c>ns1-r1</c> once rotated).</summary>
    public static EdgeHost Host(FleetNameserver nameserver) =>
        new() { Name = nameserver.Vps ?? nameserver.Name, Ipv4 = nameserver.Ipv4, Ipv6 = nameserver.Ipv6, Country = nameserver.Country };

    /// <summary>
    /// Polls <c>/healthz</c> on the nameserver's tunnel until it says ready (zones loaded, first probe round done) on
    /// <paramref name="version"/> (any, when null) and serves the fleet's zone (a follower: after its first transfer),
    /// or <paramref name="timeout"/> passes.
    /// </summary>
    public static async Task<Outcome> ReadyAsync(SidecarSession session, string name, Admin.NameserverClient client, string? version, Progress progress, TimeSpan timeout, CancellationToken cancel)
    {
        var start = session.Time.GetTimestamp();
        var zone = session.Options.Fleet.Zone.TrimEnd('.');
        var said = "";
        while (true)
        {
            var probe = await client.ProbeAsync(session.Options.Rotation.AdminTimeout, session.Time, cancel);
            // Ready holds while a follower waits for its first transfer (its pool is not loaded yet): the zone must be served too.
            var serves = probe.Ok && probe.Value!.Zones.Contains(zone, StringComparer.OrdinalIgnoreCase);
            if (serves && (version is null || SameVersion(probe.Value!.Health.Version, version)))
            {
                // A check of a nameserver that was never down (version null, no wait) needs no line.
                if (version is not null || said != "") progress.Step(name, $"answers on {client}, ready, version {probe.Value!.Health.Version}");
                return Outcome.Success;
            }
            said = !probe.Ok ? probe.Error! : !probe.Value!.Ready ? probe.Value.Describe()
                : !serves ? $"ready, but not serving {zone} yet"
                : $"version {probe.Value.Health.Version}, not {version}";
            if (session.Time.GetElapsedTime(start) >= timeout)
                return Outcome.Failed($"{name}: not ready on {version ?? "its new version"} within {timeout}: {said}");
            progress.Waiting(name, $"until it answers ready{(version is null ? "" : $" on {version}")} ({said})");
            await Task.Delay(session.Options.Rotation.PollInterval, session.Time, cancel);
        }
    }

    /// <summary>The version in a package's Debian file name (<c>geodns_0.9.1+1a2b3c4_amd64.deb</c>), or null when it is named otherwise.</summary>
    public static string? PackageVersion(string package)
    {
        var parts = Path.GetFileNameWithoutExtension(package).Split('_');
        return parts.Length == 3 && parts[0] == "geodns" ? parts[1] : null;
    }

    /// <summary>The server's version as build-deb.sh writes it into the package's: characters Debian refuses become '.'.</summary>
    public static bool SameVersion(string running, string package) =>
        string.Equals(System.Text.RegularExpressions.Regex.Replace(running, "[^A-Za-z0-9.+~]", "."), package, StringComparison.Ordinal);

    /// <summary>A digest of every file the hook installs (names and contents), so a run again can tell nothing changed.</summary>
    internal static string Digest(EdgeProvider.NameserverFiles files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var paths = Directory.EnumerateFiles(files.Directory, "*", SearchOption.AllDirectories)
            .Select(p => (Name: Path.GetRelativePath(files.Directory, p), Path: p))
            .Append((Name: "wg0.conf", Path: files.WireGuardConfig)).OrderBy(f => f.Name, StringComparer.Ordinal);
        foreach (var (name, path) in paths)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name + "\0"));
            hash.AppendData(File.ReadAllBytes(path));
            hash.AppendData("\0"u8);
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}

/// <summary>What the nameservers' part of bootstrap did, for its summary.</summary>
public sealed class FleetReport
{
    public List<string> Bought { get; } = [];
    public List<string> Provisioned { get; } = [];
    public string? Delegation { get; set; }
}
