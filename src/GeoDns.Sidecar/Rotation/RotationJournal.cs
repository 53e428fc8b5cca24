using GeoDns.Sidecar.State;

namespace GeoDns.Sidecar.Rotation;

/// <summary>Every rotation, in the state file, written before and after each step.</summary>
public sealed class RotationJournal(StateFile state, TimeProvider time)
{
    private const string Rotations = "rotations";

    public RotationRecord Begin(string oldEdge, string newName, string trigger, bool drainFirst = false)
    {
        var now = time.GetUtcNow();
        var rotation = new RotationRecord
        {
            Id = state.NextId(Rotations),
            OldEdge = oldEdge,
            NewName = newName,
            Trigger = trigger,
            DrainFirst = drainFirst,
            Started = now,
            Events = [new RotationEvent(now, RotationStep.Create, "begun", trigger)],
        };
        Save(rotation);
        return rotation;
    }

    public void Save(RotationRecord rotation) => state.Put(Rotations, rotation.Id, rotation);

    /// <summary>Adds an event and saves.</summary>
    public RotationRecord Record(RotationRecord rotation, string what, string? detail = null)
    {
        var updated = rotation with { Events = [.. rotation.Events, new RotationEvent(time.GetUtcNow(), rotation.Step, what, detail)] };
        Save(updated);
        return updated;
    }

    /// <summary>Records <paramref name="rotation"/>'s step as done and moves to <paramref name="next"/>, in one write.</summary>
    public RotationRecord Advance(RotationRecord rotation, RotationStep next, string? detail = null)
    {
        var done = new RotationEvent(time.GetUtcNow(), rotation.Step, "done", detail);
        var updated = rotation with { Step = next, StepStarted = false, Events = [.. rotation.Events, done] };
        Save(updated);
        return updated;
    }

    public RotationRecord? Find(int id) => state.Get<RotationRecord>(Rotations, id);

    /// <summary>Newest first.</summary>
    public IReadOnlyList<RotationRecord> All() => state.All<RotationRecord>(Rotations).Select(r => r.Value).OrderByDescending(r => r.Id).ToList();

    /// <summary>The rotation of <paramref name="edge"/> that has not completed, if any: running, interrupted or failed.</summary>
    public RotationRecord? Unfinished(string edge) =>
        All().FirstOrDefault(r => r.Unfinished && r.OldEdge.Equals(edge, StringComparison.OrdinalIgnoreCase));
}
