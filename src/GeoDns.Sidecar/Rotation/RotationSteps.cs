using GeoDns.Sidecar.State;
using Microsoft.Extensions.Logging;

namespace GeoDns.Sidecar.Rotation;

/// <summary>
/// What each <see cref="RotationStep"/> does. Every step may run again after a crash, so each
/// one is idempotent: it checks or overwrites rather than adds.
/// </summary>
internal sealed class RotationSteps(SidecarSession session, ILogger log)
{
    public const string DrainReason = "rotated by sidecar";

    // Held while tunnel addresses are handed out and while the home's wg0.conf is written and
    // applied: two rotations at once must neither share an address nor overwrite each other's peer.
    private readonly SemaphoreSlim _tunnel = new(1, 1);

    /// <summary>Runs the rotation's current step; returns how it went and the rotation as it now stands.</summary>
    public async Task<(Outcome, RotationRecord)> RunAsync(RotationRecord rotation, CancellationToken cancel)
    {
        if (session.Inventory.Find(rotation.OldEdge) is not { } old)
            return (Outcome.Failed($"edge {rotation.OldEdge} is no longer known to the sidecar"), rotation);
        if (rotation.Step == RotationStep.Create) return await CreateAsync(rotation, old, cancel);
        if (rotation.NewEdge is not { } fresh || session.Inventory.Find(fresh.Name) is not { } added)
            return (Outcome.Failed($"the journal of rotation #{rotation.Id} lacks its new edge (was the state file edited?)"), rotation);
        return rotation.Step switch
        {
            RotationStep.Provision => (await ProvisionAsync(added, cancel), rotation),
            RotationStep.AddPeer => (await ApplyHomeAsync(cancel), rotation),
            RotationStep.AddToPool => (await session.Nameservers.AddAsync(fresh, cancel), rotation),
            RotationStep.WaitUp => (await WaitUpAsync(fresh.Name, cancel), rotation),
            RotationStep.Drain => await DrainAsync(rotation, old, fresh, cancel),
            RotationStep.WaitDrain => (await WaitDrainAsync(rotation, cancel), rotation),
            RotationStep.Destroy => (await session.Provider.DestroyAsync(old.Host, cancel), rotation),
            RotationStep.RemoveOld => (await RemoveOldAsync(old, cancel), rotation),
            RotationStep.Rekey => (await new Commands.CertificateDistribution(session).RekeyAsync(old.Host, cancel), rotation),
            _ => (Outcome.Success, rotation),
        };
    }

    private async Task<(Outcome, RotationRecord)> CreateAsync(RotationRecord rotation, KnownEdge old, CancellationToken cancel)
    {
        if (rotation.DrainFirst)
        {
            // Run again on every resume of this step (draining twice is harmless); the drain period counts from the first.
            var (drained, marked) = await DrainOldAsync(rotation, old, cancel);
            if (!drained.Ok) return (drained, marked);
            rotation = marked;
        }
        // Nothing is bought that could not be used: hooks present, the old edge's country served, every nameserver
        // reachable and taking the token.
        var ready = await Preflight.CheckAsync(session, cancel, old.Host);
        if (!ready.Ok) return (ready, rotation);
        var created = await session.Provider.CreateAsync(rotation.NewName, old.Host, cancel);
        if (!created.Ok) return (created.WithoutValue(), rotation);
        var host = created.Value!;
        var existing = session.Inventory.Find(host.Name);
        if (existing is { Role: not EdgeRole.Joining })
            return (Outcome.Failed($"the create hook answered {host.Name}, an edge the sidecar knows already ({existing.Role})"), rotation);
        // Keys and tunnel address of an earlier, interrupted run are kept: the VPS may have them already.
        session.Inventory.Save(new KnownEdge(host, EdgeRole.Joining, existing?.Keys, existing?.Tunnel, session.Time.GetUtcNow()));
        log.LogInformation("Rotation #{Id}: created {Edge} at {Address}", rotation.Id, host.Name, host.Ipv4 ?? host.Ipv6);
        return (Outcome.Success, rotation with { NewEdge = host });
    }

    private async Task<Outcome> ProvisionAsync(KnownEdge edge, CancellationToken cancel)
    {
        await _tunnel.WaitAsync(cancel);
        try
        {
            var completed = session.Inventory.Complete(session.Tunnel, session.GenerateKeys);
            if (!completed.Ok) return completed;
            edge = session.Inventory.Find(edge.Name)!;
            var written = session.Files.WriteEdge(edge, session.HomeKeys);
            if (!written.Ok) return written;
        }
        finally
        {
            _tunnel.Release();
        }
        return await session.Provider.ProvisionAsync(edge.Host, session.Files.WireGuardPath(edge.Name), session.Files.NginxPath(edge.Name), cancel);
    }

    /// <summary>
    /// Destroys the new VPS of a rotation that kept failing before it served, takes it off the
    /// nameservers and the home's tunnels (best effort: it never served), and sets the rotation
    /// back to <see cref="RotationStep.Create"/> under a fresh name. Journaled like every step.
    /// </summary>
    public async Task<RotationRecord> AbandonNewAsync(RotationRecord rotation, string freshName, CancellationToken cancel)
    {
        var fresh = rotation.NewEdge!;
        var destroyed = await session.Provider.DestroyAsync(fresh, cancel);
        if (!destroyed.Ok)
        {
            log.LogError("Rotation #{Id}: could not destroy {Edge} after {Failures} failures: {Error}", rotation.Id, fresh.Name, rotation.FailuresAfterCreate, destroyed.Error);
            return session.Journal.Record(rotation, "destroy of the new edge failed", destroyed.Error);
        }
        session.Inventory.Change(fresh.Name, EdgeRole.Retired);
        var removed = await session.Nameservers.RemoveAsync(fresh.Name, cancel);
        var applied = await ApplyHomeAsync(cancel);
        log.LogWarning("Rotation #{Id}: destroyed {Edge}, bought by this rotation, after {Failures} failures; the next try creates {Fresh}",
            rotation.Id, fresh.Name, rotation.FailuresAfterCreate, freshName);
        var reset = rotation with { Step = RotationStep.Create, StepStarted = false, NewEdge = null, NewName = freshName, FailuresAfterCreate = 0 };
        return session.Journal.Record(reset, "destroyed new edge", $"{fresh.Name} destroyed after {rotation.FailuresAfterCreate} failures"
            + (removed.Ok ? "" : $"; nameservers: {removed.Error}") + (applied.Ok ? "" : $"; home tunnels: {applied.Error}"));
    }

    /// <summary>Rewrites the home's wg0.conf from the inventory and applies it: adds joining peers, drops retired ones.</summary>
    private async Task<Outcome> ApplyHomeAsync(CancellationToken cancel)
    {
        await _tunnel.WaitAsync(cancel);
        try
        {
            var path = session.WriteHome();
            return await session.ApplyRetry.RunAsync(token => session.Apply.RunAsync(path, token), reason => Outcome.Failed($"apply command: {reason}"), cancel);
        }
        finally
        {
            _tunnel.Release();
        }
    }

    /// <summary>Polls until every nameserver lists <paramref name="edge"/> as Up, or <see cref="RotationPolicy.UpTimeout"/> passes.</summary>
    private async Task<Outcome> WaitUpAsync(string edge, CancellationToken cancel)
    {
        var policy = session.Options.Rotation;
        var start = session.Time.GetTimestamp();
        while (true)
        {
            var states = await session.Nameservers.StatesAsync(edge, cancel);
            var pending = states.Where(s => s.Edge is not { Ok: true, Value.IsUp: true })
                .Select(s => $"{s.Nameserver}: {(s.Edge.Ok ? s.Edge.Value?.Describe() ?? "not listed" : s.Edge.Error)}").ToList();
            if (pending.Count == 0)
            {
                session.Inventory.Change(edge, EdgeRole.Serving);
                return Outcome.Success;
            }
            if (session.Time.GetElapsedTime(start) >= policy.UpTimeout)
                return Outcome.Failed($"{edge} not Up on every nameserver within {policy.UpTimeout}: {string.Join("; ", pending)}");
            await Task.Delay(policy.PollInterval, session.Time, cancel);
        }
    }

    private async Task<(Outcome, RotationRecord)> DrainAsync(RotationRecord rotation, KnownEdge old, EdgeHost fresh, CancellationToken cancel)
    {
        // Checked again right before: the new edge may have gone down since the last step (or a restart).
        var up = await WaitUpAsync(fresh.Name, cancel);
        if (!up.Ok) return (up, rotation);
        var (drained, marked) = await DrainOldAsync(rotation, old, cancel);
        if (drained.Ok) session.Inventory.Change(old.Name, EdgeRole.Draining);
        return (drained, marked);
    }

    /// <summary>Takes the old edge out of the answers on every nameserver, the time journaled first.</summary>
    private async Task<(Outcome, RotationRecord)> DrainOldAsync(RotationRecord rotation, KnownEdge old, CancellationToken cancel)
    {
        if (rotation.DrainStarted is null)
        {
            // Journaled before the drain: a restart then waits out the rest of the period, not a new one.
            rotation = rotation with { DrainStarted = session.Time.GetUtcNow() };
            session.Journal.Save(rotation);
        }
        return (await session.Nameservers.DrainAsync(old.Name, DrainReason, cancel), rotation);
    }

    private async Task<Outcome> WaitDrainAsync(RotationRecord rotation, CancellationToken cancel)
    {
        var end = (rotation.DrainStarted ?? session.Time.GetUtcNow()) + session.Options.Rotation.DrainPeriod;
        var left = end - session.Time.GetUtcNow();
        if (left > TimeSpan.Zero)
        {
            log.LogInformation("Rotation #{Id}: {Old} drains until {End}", rotation.Id, rotation.OldEdge, Timestamp.Text(end));
            await Task.Delay(left, session.Time, cancel);
        }
        return Outcome.Success;
    }

    private async Task<Outcome> RemoveOldAsync(KnownEdge old, CancellationToken cancel)
    {
        session.Inventory.Change(old.Name, EdgeRole.Retired);
        var applied = await ApplyHomeAsync(cancel);
        if (!applied.Ok) return applied;
        return await session.Nameservers.RemoveAsync(old.Name, cancel);
    }
}
