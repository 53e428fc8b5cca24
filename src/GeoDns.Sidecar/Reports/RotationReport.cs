using GeoDns.Sidecar.Rotation;

namespace GeoDns.Sidecar.Reports;

/// <summary>
/// A rotation as <c>status --json</c> shows it: where it stands, why it stopped (<see cref="Reason"/>, null unless it
/// failed) and its history, every event of it (the text prints the events of unfinished ones only).
/// </summary>
public sealed record RotationReport(
    int Id,
    string OldEdge,
    string NewEdge,
    string Trigger,
    RotationStatus Status,
    RotationStep Step,
    string? Reason,
    DateTimeOffset Started,
    DateTimeOffset? Finished,
    IReadOnlyList<RotationEvent> Events)
{
    public static RotationReport Of(RotationRecord r) =>
        new(r.Id, r.OldEdge, r.NewEdge?.Name ?? r.NewName, r.Trigger, r.Status, r.Step, r.Error, r.Started, r.Finished, r.Events);
}
