using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using GeoDns.Sidecar.State;
using Microsoft.Extensions.Logging;

namespace GeoDns.Sidecar.Rotation;

/// <summary>
/// Runs rotations step by step, journaling each step before and after it, so that a sidecar
/// killed anywhere resumes at the step it was in. Rotations of different edges may run at once
/// (an attack often hits every edge, and a second one should not wait out the first one's drain):
/// each adds its edge before it drains the old one, so none leaves the pool weaker; what they
/// share, the tunnel addresses and the home's wg0.conf, <see cref="RotationSteps"/> guards.
/// </summary>
public sealed partial class RotationEngine(SidecarSession session, ILogger<RotationEngine> log)
{
    private readonly Lock _preparing = new();
    private readonly ConcurrentDictionary<int, SemaphoreSlim> _running = new();
    private readonly RotationSteps _steps = new(session, log);

    /// <summary>The rotation to run for <paramref name="edge"/>: its unfinished one (resumed), else a new one; or why there is none.</summary>
    /// <param name="drainFirst">Drain the old edge before the new one is created (<see cref="RotationRecord.DrainFirst"/>).</param>
    public Outcome<RotationRecord> Prepare(string edge, string trigger, bool drainFirst = false)
    {
        // Two requests for one edge at once (the endpoint and the outage watch) make one rotation.
        lock (_preparing) return PrepareOne(edge, trigger, drainFirst);
    }

    private Outcome<RotationRecord> PrepareOne(string edge, string trigger, bool drainFirst)
    {
        if (session.Journal.Unfinished(edge) is { } unfinished) return Outcome<RotationRecord>.Success(unfinished);
        var known = session.Inventory.Find(edge);
        if (known is null)
            return Outcome<RotationRecord>.Failed($"edge {edge} is not known to the sidecar (list it under \"edges\" in the sidecar config)");
        if (known.Role != EdgeRole.Serving)
            return Outcome<RotationRecord>.Failed($"edge {known.Name} is {known.Role.ToString().ToLowerInvariant()}, not serving: nothing to rotate");
        var policy = session.Options.Rotation;
        var all = session.Journal.All();
        var running = all.Count(r => r.Status == RotationStatus.Running);
        if (running >= policy.MaxConcurrent)
            return Outcome<RotationRecord>.Failed($"{running} rotation(s) running already (rotation.maxConcurrent = {policy.MaxConcurrent}): {known.Name} waits");
        var today = all.Count(r => r.Started > session.Time.GetUtcNow() - TimeSpan.FromDays(1));
        if (today >= policy.DailyBudget)
            return Outcome<RotationRecord>.Failed($"{today} rotations begun in the last 24 h (rotation.dailyBudget = {policy.DailyBudget}): {known.Name} is not rotated");
        return Outcome<RotationRecord>.Success(session.Journal.Begin(known.Name, NewName(known.Name), trigger, drainFirst));
    }

    /// <summary>
    /// Runs <paramref name="rotation"/> from its current step until done, a step fails (the result
    /// says why), or <paramref name="stopBefore"/> is reached. Cancelling leaves it resumable.
    /// </summary>
    public async Task<RotationRecord> RunAsync(RotationRecord rotation, RotationStep? stopBefore = null, CancellationToken cancel = default)
    {
        // The same rotation run twice at once would run its steps twice: the second waits, then finds it done.
        var one = _running.GetOrAdd(rotation.Id, _ => new SemaphoreSlim(1, 1));
        await one.WaitAsync(cancel);
        try
        {
            // Re-read: another run may have moved it on since it was prepared.
            rotation = session.Journal.Find(rotation.Id) ?? rotation;
            while (rotation.Step != RotationStep.Done && rotation.Step != stopBefore)
            {
                rotation = session.Journal.Record(rotation with { StepStarted = true, Status = RotationStatus.Running, Error = null },
                    rotation.StepStarted ? "resumed" : "started");
                log.LogInformation("Rotation #{Id} {Old} -> {New}: {Step}", rotation.Id, rotation.OldEdge, rotation.NewEdge?.Name ?? rotation.NewName, rotation.Step);
                var (outcome, after) = await _steps.RunAsync(rotation, cancel);
                cancel.ThrowIfCancellationRequested();
                if (!outcome.Ok)
                {
                    log.LogError("Rotation #{Id} stopped at {Step} ({Old} {State}): {Error}", rotation.Id, rotation.Step, rotation.OldEdge,
                        rotation.Step <= RotationStep.Drain ? "still serving" : "drained", outcome.Error);
                    var failed = session.Journal.Record(after with
                    {
                        Status = RotationStatus.Failed,
                        Error = outcome.Error,
                        FailuresAfterCreate = after.HoldsUnusedVps ? after.FailuresAfterCreate + 1 : after.FailuresAfterCreate,
                    }, "failed", outcome.Error);
                    return failed.HoldsUnusedVps && failed.FailuresAfterCreate >= session.Options.Rotation.FailuresBeforeDestroy
                        ? await _steps.AbandonNewAsync(failed, NewName(failed.OldEdge), cancel)
                        : failed;
                }
                if (outcome.Note is { } note) log.LogWarning("Rotation #{Id} {Step}: {Note}", rotation.Id, rotation.Step, note);
                rotation = session.Journal.Advance(after, after.Step + 1, outcome.Note);
            }
            if (rotation.Step == RotationStep.Done && rotation.Status != RotationStatus.Completed)
            {
                rotation = session.Journal.Record(rotation with { Status = RotationStatus.Completed, Finished = session.Time.GetUtcNow() }, "completed");
                log.LogInformation("Rotation #{Id} completed: {Old} replaced by {New}", rotation.Id, rotation.OldEdge, rotation.NewEdge?.Name);
            }
            return rotation;
        }
        finally
        {
            one.Release();
        }
    }

    /// <summary>Prepares and runs; a rotation that cannot even begin is returned as the error.</summary>
    public async Task<Outcome<RotationRecord>> RotateAsync(string edge, string trigger, CancellationToken cancel = default)
    {
        var prepared = Prepare(edge, trigger);
        if (!prepared.Ok) return prepared;
        var rotation = await RunAsync(prepared.Value!, cancel: cancel);
        return rotation.Status == RotationStatus.Failed ? Outcome<RotationRecord>.Failed(rotation.Error!) with { Value = rotation } : Outcome<RotationRecord>.Success(rotation);
    }

    /// <summary>
    /// edge-2 becomes edge-2-r1, then edge-2-r2: chosen before create runs, so the create hook can
    /// find a VPS it made before a crash by this name.
    /// </summary>
    public string NewName(string old)
    {
        var stem = Generation().Replace(old, "");
        var used = session.Inventory.All().Select(e => e.Name).Concat(session.Journal.All().Select(r => r.NewName))
            .Select(n => n.StartsWith(stem + "-r", StringComparison.OrdinalIgnoreCase) && int.TryParse(n[(stem.Length + 2)..], out var g) ? g : 0);
        var name = $"{stem}-r{used.DefaultIfEmpty(0).Max() + 1}";
        return name.Length <= 63 ? name : name[^63..].TrimStart('-');
    }

    [GeneratedRegex(@"-r[0-9]+$")]
    private static partial Regex Generation();
}
