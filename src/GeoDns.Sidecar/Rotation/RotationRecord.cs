namespace GeoDns.Sidecar.Rotation;

/// <summary>
/// One replacement of <see cref="OldEdge"/> by a new VPS, as journaled: the step it is at, and
/// whether that step has started. The new edge's name is chosen before anything runs, so a
/// create hook run twice (a crash in the middle) finds the VPS it made instead of making another.
/// </summary>
public sealed record RotationRecord
{
    public int Id { get; init; }
    public string OldEdge { get; init; } = "";
    public string NewName { get; init; } = "";

    /// <summary>What the create hook printed; null until <see cref="RotationStep.Create"/> is done.</summary>
    public EdgeHost? NewEdge { get; init; }

    public string Trigger { get; init; } = "";
    public RotationStep Step { get; init; } = RotationStep.Create;
    public bool StepStarted { get; init; }
    public RotationStatus Status { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset Started { get; init; }
    public DateTimeOffset? DrainStarted { get; init; }

    /// <summary>
    /// Drain the old edge before anything is bought (an attacked edge, with the pool strong enough without it): it leaves
    /// the answers at once rather than once its replacement is Up. Journaled with the rest, so a resumed rotation knows.
    /// </summary>
    public bool DrainFirst { get; init; }
    public DateTimeOffset? Finished { get; init; }
    public List<RotationEvent> Events { get; init; } = [];

    /// <summary>Failed runs since the new VPS was bought: at <see cref="RotationPolicy.FailuresBeforeDestroy"/> it is destroyed.</summary>
    public int FailuresAfterCreate { get; init; }

    /// <summary>True while the new VPS exists but does not serve yet: the span in which a failure wastes it.</summary>
    public bool HoldsUnusedVps => NewEdge is not null && Step is > RotationStep.Create and <= RotationStep.Drain;

    public bool Unfinished => Status != RotationStatus.Completed;

    public string Summary() =>
        $"#{Id} {OldEdge} -> {NewEdge?.Name ?? NewName}: {Status} at {Step}{(Error is null ? "" : $": {Error}")}";
}
