using GeoDns.Sidecar.Fleet;
using GeoDns.Sidecar.Rotation;

namespace GeoDns.Sidecar.Reports;

/// <summary>
/// <c>rotate NAMESERVER --json</c>'s document: the nameserver, the VPS it was and the one it is, where the rotation
/// stands, why it stopped (<see cref="Reason"/>, null unless it failed), every event, and the notes (sidecar.json
/// listing an address the rotation replaced).
/// </summary>
public sealed record NameserverRotationReport(
    int Id,
    string Nameserver,
    EdgeHost OldHost,
    string NewName,
    EdgeHost? NewHost,
    RotationStatus Status,
    NameserverRotationStep Step,
    string? Reason,
    DateTimeOffset Started,
    DateTimeOffset? Finished,
    IReadOnlyList<NameserverRotationEvent> Events,
    IReadOnlyList<string> Notes)
{
    public static NameserverRotationReport Of(NameserverRotation r, IReadOnlyList<string> notes) =>
        new(r.Id, r.Nameserver, r.OldHost, r.NewName, r.NewHost, r.Status, r.Step, r.Error, r.Started, r.Finished, r.Events, notes);
}
