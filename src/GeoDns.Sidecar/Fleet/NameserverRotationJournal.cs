using GeoDns.Sidecar.State;

namespace GeoDns.Sidecar.Fleet;

/// <summary>Every nameserver rotation, in the state file beside the edges' (its own collection), written before and after each step.</summary>
public sealed class NameserverRotationJournal(StateFile state, TimeProvider time)
{
    private const string Rotations = "nameserverRotations";

    public NameserverRotation Begin(string nameserver, EdgeHost oldHost, string newName)
    {
        var now = time.GetUtcNow();
        var rotation = new NameserverRotation
        {
            Id = state.NextId(Rotations),
            Nameserver = nameserver,
            OldHost = oldHost,
            NewName = newName,
            Started = now,
            Events = [new NameserverRotationEvent(now, NameserverRotationStep.Create, "begun", "by hand")],
        };
        Save(rotation);
        return rotation;
    }

    public void Save(NameserverRotation rotation) => state.Put(Rotations, rotation.Id, rotation);

    /// <summary>Adds an event and saves.</summary>
    public NameserverRotation Record(NameserverRotation rotation, string what, string? detail = null)
    {
        var updated = rotation with { Events = [.. rotation.Events, new NameserverRotationEvent(time.GetUtcNow(), rotation.Step, what, detail)] };
        Save(updated);
        return updated;
    }

    /// <summary>Records the step as done and moves to the next one, in one write.</summary>
    public NameserverRotation Advance(NameserverRotation rotation, string? detail = null)
    {
        var done = new NameserverRotationEvent(time.GetUtcNow(), rotation.Step, "done", detail);
        var updated = rotation with { Step = rotation.Step + 1, StepStarted = false, Events = [.. rotation.Events, done] };
        Save(updated);
        return updated;
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<NameserverRotation> All() =>
        state.All<NameserverRotation>(Rotations).Select(r => r.Value).OrderByDescending(r => r.Id).ToList();

    /// <summary>The rotation of any nameserver that has not completed, if any: running, interrupted or failed.</summary>
    public NameserverRotation? Unfinished() => All().FirstOrDefault(r => r.Unfinished);

    /// <summary>
    /// Why <paramref name="command"/> must not run now, or null: while a nameserver rotation is unfinished the state, the
    /// files and the tunnels are half way between two VPS, and installing nameservers then would work from either.
    /// </summary>
    public string? Refusal(string command) => Unfinished() is { } rotation
        ? $"{command} waits for the unfinished rotation of {rotation.Nameserver} ({rotation.Summary()}): finish it first with `geodns-sidecar rotate {rotation.Nameserver}`"
        : null;
}
