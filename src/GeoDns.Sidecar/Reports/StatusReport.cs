using GeoDns.Sidecar.Commands;
using GeoDns.Sidecar.Firewall;
using GeoDns.Sidecar.Fleet;
using GeoDns.Sidecar.Rotation;

namespace GeoDns.Sidecar.Reports;

/// <summary>
/// <c>status --json</c>: the home firewall (null when not checked here: the daemon's <c>GET /v1/status</c> leaves it
/// to the command, which checks it itself), the edges, the recent rotations and nameserver rotations, newest first
/// (each nameserver rotation with the note on sidecar.json's address for it, if the state corrects one), and the pool's
/// emergency switch on each nameserver (left out where the command did not ask them: the daemon leaves that to it too).
/// </summary>
public sealed record StatusReport(
    FirewallState? Firewall, IReadOnlyList<EdgeReport> Edges, IReadOnlyList<RotationReport> Rotations, IReadOnlyList<NameserverRotationReport>? NameserverRotations)
{
    public static StatusReport Of(SidecarSession session, FirewallState? firewall) =>
        new(firewall,
            session.Inventory.All().Select(EdgeReport.Of).ToList(),
            session.Journal.All().Take(StatusCommand.RecentRotations).Select(RotationReport.Of).ToList(),
            new NameserverRotationJournal(session.State, session.Time).All().Take(StatusCommand.RecentRotations)
                .Select(r => NameserverRotationReport.Of(r, session.FleetNotes.TryGetValue(r.Nameserver, out var note) ? [note] : [])).ToList());

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<EmergencyReport>? Emergency { get; init; }

    /// <summary>The exit code of <c>status</c>: 1 while a recent rotation, of an edge or a nameserver, has failed.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int ExitCode =>
        Rotations.Any(r => r.Status == RotationStatus.Failed) || (NameserverRotations ?? []).Any(r => r.Status == RotationStatus.Failed) ? 1 : 0;
}
