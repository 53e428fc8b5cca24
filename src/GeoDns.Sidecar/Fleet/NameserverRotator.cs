using System.Text.RegularExpressions;
using GeoDns.Sidecar.Commands;
using GeoDns.Sidecar.Hooks;
using GeoDns.Sidecar.Rotation;

namespace GeoDns.Sidecar.Fleet;

/// <summary>
/// <c>rotate NAMESERVER</c>: replaces a fleet nameserver's VPS by a fresh one under the same name (<c>ns1.ZONE</c>), step by
/// step (<see cref="NameserverRotationStep"/>), journaling each before and after it, so a run killed anywhere resumes
/// with <c>rotate NAMESERVER</c> again: the new VPS is named before the create hook runs (a second run finds it), and
/// every step checks or overwrites rather than adds. One nameserver rotation at a time: each rewrites every
/// nameserver's files, and the others must answer while one moves.
/// </summary>
public sealed partial class NameserverRotator(SidecarSession session, Progress progress)
{
    private readonly NameserverRotationJournal _journal = new(session.State, session.Time);
    private readonly NameserverRotationProvision _provision = new(session, progress);

    public NameserverRotationJournal Journal => _journal;

    /// <summary>Whether <paramref name="name"/> is one of the fleet's nameservers (else <c>rotate</c> means an edge).</summary>
    public static bool IsNameserver(SidecarOptions options, string name) => Find(options.Fleet, name) is not null;

    /// <summary>The rotation to run for <paramref name="name"/>: its unfinished one (resumed), else a new one; or why there is none.</summary>
    public Outcome<NameserverRotation> Prepare(string name)
    {
        var fleet = session.Options.Fleet;
        if (Find(fleet, name) is not { } nameserver) return Outcome<NameserverRotation>.Failed($"{name} is not one of fleet.nameservers");
        if (_journal.Unfinished() is { } unfinished)
            return unfinished.Nameserver.Equals(nameserver.Name, StringComparison.OrdinalIgnoreCase)
                ? Outcome<NameserverRotation>.Success(unfinished)
                : Outcome<NameserverRotation>.Failed($"the rotation of {unfinished.Nameserver} is unfinished ({unfinished.Summary()}): finish it first with `rotate {unfinished.Nameserver}`");
        if (fleet.Nameservers.FirstOrDefault(n => !n.Exists) is { } unbought)
            return Outcome<NameserverRotation>.Failed($"{unbought.Name} has no VPS yet: `bootstrap` buys it");
        var old = FleetBootstrap.Host(nameserver) with { Country = nameserver.Country ?? session.FleetState.Bought(nameserver.Name)?.Country };
        return Outcome<NameserverRotation>.Success(_journal.Begin(nameserver.Name, old, NewName(nameserver.Name)));
    }

    /// <summary>Runs <paramref name="rotation"/> from its current step until done or a step fails (the result says why). Cancelling leaves it resumable.</summary>
    public async Task<NameserverRotation> RunAsync(NameserverRotation rotation, CancellationToken cancel)
    {
        while (rotation.Step != NameserverRotationStep.Done)
        {
            rotation = _journal.Record(rotation with { StepStarted = true, Status = RotationStatus.Running, Error = null }, rotation.StepStarted ? "resumed" : "started");
            var (outcome, after) = await StepAsync(rotation, cancel);
            cancel.ThrowIfCancellationRequested();
            if (!outcome.Ok) return _journal.Record(after with { Status = RotationStatus.Failed, Error = outcome.Error }, "failed", outcome.Error);
            rotation = _journal.Advance(after, outcome.Note);
        }
        if (rotation.Status != RotationStatus.Completed)
            rotation = _journal.Record(rotation with { Status = RotationStatus.Completed, Finished = session.Time.GetUtcNow() }, "completed");
        return rotation;
    }

    private async Task<(Outcome, NameserverRotation)> StepAsync(NameserverRotation rotation, CancellationToken cancel)
    {
        if (Find(session.Options.Fleet, rotation.Nameserver) is not { } nameserver)
            return (Outcome.Failed($"{rotation.Nameserver} is no longer in fleet.nameservers"), rotation);
        if (rotation.Step == NameserverRotationStep.Create) return await CreateAsync(rotation, cancel);
        if (rotation.NewHost is not { } fresh)
            return (Outcome.Failed($"the journal of nameserver rotation #{rotation.Id} lacks its new VPS (was the state file edited?)"), rotation);
        // From the switch on, the fleet's view of the nameserver is the new VPS (a resumed run has it from the state already).
        Follow(nameserver, fresh);
        return rotation.Step switch
        {
            NameserverRotationStep.Switch => (await SwitchAsync(rotation, fresh, cancel), rotation),
            NameserverRotationStep.Provision => (await _provision.RunAsync(nameserver, cancel), rotation),
            NameserverRotationStep.Delegate => await DelegateAsync(rotation, cancel),
            NameserverRotationStep.Retire => (await RetireAsync(rotation, cancel), rotation),
            NameserverRotationStep.Destroy => (await DestroyAsync(rotation, cancel), rotation),
            _ => (Outcome.Success, rotation),
        };
    }

    private async Task<(Outcome, NameserverRotation)> CreateAsync(NameserverRotation rotation, CancellationToken cancel)
    {
        // Nothing is bought that could not be used: the hooks of every later step, and the other nameservers answering.
        var ready = await PreflightAsync(rotation.Nameserver, cancel);
        if (!ready.Ok) return (ready, rotation);
        progress.Step(rotation.Nameserver, $"creating {rotation.NewName} in {rotation.OldHost.Country ?? "the old VPS's place"} to replace {rotation.OldHost.Name} (create hook)");
        var created = await session.Provider.CreateAsync(rotation.NewName, rotation.OldHost, cancel, role: "nameserver");
        if (!created.Ok) return (created.WithoutValue(), rotation);
        var host = created.Value! with { Country = created.Value.Country ?? rotation.OldHost.Country };
        if (session.Inventory.Find(host.Name) is not null || (Find(session.Options.Fleet, host.Name) is { } other && !other.Name.Equals(rotation.Nameserver, StringComparison.OrdinalIgnoreCase)))
            return (Outcome.Failed($"the create hook answered {host.Name}, a VPS the sidecar knows already"), rotation);
        progress.Step(rotation.Nameserver, $"created {host.Name} at {NameserverRotation.Address(host)}");
        return (Outcome.Success, rotation with { NewHost = host });
    }

    private async Task<Outcome> PreflightAsync(string name, CancellationToken cancel)
    {
        var options = session.Options;
        if (!FleetBootstrap.Provisions(options))
            return Outcome.Failed("preflight: hooks.provisionNameserver is not set: the sidecar installs no nameserver, so it cannot move one");
        if ((FleetBootstrap.Problem(options) ?? HookOptions.Problem(("create", options.Hooks.Create), ("destroy", options.Hooks.Destroy))) is { } problem)
            return Outcome.Failed($"preflight: {problem}");
        var fleet = options.Fleet;
        for (var i = 0; i < fleet.Nameservers.Count; i++)
        {
            if (fleet.Nameservers[i].Name.Equals(name, StringComparison.OrdinalIgnoreCase)) continue;
            var probe = await session.Nameservers.Clients[i].ProbeAsync(options.Rotation.AdminTimeout, session.Time, cancel);
            if (probe is { Ok: true, Value.Ready: true }) continue;
            var said = probe.Ok ? probe.Value!.Describe() : probe.Error!;
            // The others carry the zone while this one moves: one not ready now would leave it to none.
            return Outcome.Failed($"preflight: {fleet.Nameservers[i].Name} is not ready ({said}); it must answer while {name} moves", retryable: true);
        }
        return Outcome.Success;
    }

    /// <summary>The state says the nameserver is the new VPS; every file follows, and the home's tunnel to it dials the new address.</summary>
    private async Task<Outcome> SwitchAsync(NameserverRotation rotation, EdgeHost fresh, CancellationToken cancel)
    {
        session.FleetState.SaveMoved(rotation.Nameserver, fresh, new[] { rotation.OldHost.Ipv4, rotation.OldHost.Ipv6 }.OfType<string>(), session.Options.Data);
        progress.Step(rotation.Nameserver, $"is {fresh.Name} at {NameserverRotation.Address(fresh)} now (state file); writing every nameserver's files");
        var rendered = session.RenderAll();
        if (!rendered.Ok) return rendered;
        // The tunnel keeps its key pair and address (.N+2): only the peer's endpoint moves to the new VPS.
        progress.Step("home", $"applying the WireGuard tunnels (the one to {rotation.Nameserver} dials {fresh.Name})");
        return await session.ApplyRetry.RunAsync(token => session.Apply.RunAsync(session.WriteHome(), token), reason => Outcome.Failed($"apply command: {reason}"), cancel);
    }

    private async Task<(Outcome, NameserverRotation)> DelegateAsync(NameserverRotation rotation, CancellationToken cancel)
    {
        var delegated = await Delegation.RunAsync(session, progress, new FleetReport(), cancel);
        if (!delegated.Ok) return (delegated, rotation);
        // Journaled with the step: a restart waits out the rest of the retirement, not a new one.
        return (Outcome.Success, rotation with { Delegated = rotation.Delegated ?? session.Time.GetUtcNow() });
    }

    /// <summary>Until resolvers that cached the old glue, or the old address from the zone itself, have let go of it; the old VPS answers meanwhile.</summary>
    private async Task<Outcome> RetireAsync(NameserverRotation rotation, CancellationToken cancel)
    {
        var wait = session.Options.Fleet.RetireWait;
        var end = (rotation.Delegated ?? session.Time.GetUtcNow()) + wait;
        var old = $"{rotation.OldHost.Name} ({NameserverRotation.Address(rotation.OldHost)})";
        while (end - session.Time.GetUtcNow() is var left && left > TimeSpan.Zero)
        {
            progress.Waiting(old, $"until {Timestamp.Text(end)} before it is destroyed ({Math.Ceiling(left.TotalSeconds):0} s left of {wait.TotalSeconds:0} s: resolvers may hold its address that long)");
            await Task.Delay(left < Progress.Heartbeat ? left : Progress.Heartbeat, session.Time, cancel);
        }
        return Outcome.Success;
    }

    private async Task<Outcome> DestroyAsync(NameserverRotation rotation, CancellationToken cancel)
    {
        progress.Step(rotation.OldHost.Name, $"destroying the old VPS at {NameserverRotation.Address(rotation.OldHost)} (destroy hook)");
        var destroyed = await session.Provider.DestroyAsync(rotation.OldHost, cancel);
        if (destroyed.Ok) progress.Step(rotation.OldHost.Name, "destroyed");
        return destroyed;
    }

    private void Follow(FleetNameserver nameserver, EdgeHost fresh)
    {
        if (nameserver.Vps == fresh.Name && nameserver.Ipv4 == fresh.Ipv4 && nameserver.Ipv6 == fresh.Ipv6) return;
        (nameserver.Ipv4, nameserver.Ipv6, nameserver.Vps) = (fresh.Ipv4, fresh.Ipv6, fresh.Name);
        session.Options.FollowFleet();
    }

    /// <summary>ns1 becomes ns1-r1, then ns1-r2: chosen before create runs, so the create hook can find a VPS it made before a crash by this name.</summary>
    private string NewName(string nameserver)
    {
        var used = _journal.All().Where(r => r.Nameserver.Equals(nameserver, StringComparison.OrdinalIgnoreCase)).Select(r => r.NewName)
            .Select(n => Generation().Match(n) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0);
        var next = used.DefaultIfEmpty(0).Max() + 1;
        while (session.Inventory.Find($"{nameserver}-r{next}") is not null) next++;
        return $"{nameserver}-r{next}";
    }

    private static FleetNameserver? Find(FleetOptions fleet, string name) =>
        fleet.Nameservers.FirstOrDefault(n => n.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex(@"-r([0-9]+)$")]
    private static partial Regex Generation();
}
