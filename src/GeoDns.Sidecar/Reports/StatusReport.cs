using GeoDns.Sidecar.Commands;
using GeoDns.Sidecar.Firewall;
using GeoDns.Sidecar.Rotation;

namespace GeoDns.Sidecar.Reports;

/// <summary>
/// <c>status --json</c>: the home firewall (null when not checked here: the daemon's <c>GET /v1/status</c> leaves it
/// to the command, which checks it itself), the edges, and the recent rotations, newest first.
/// </summary>
public sealed record StatusReport(FirewallState? Firewall, IReadOnlyList<EdgeReport> Edges, IReadOnlyList<RotationReport> Rotations)
{
    public static StatusReport Of(SidecarSession session, FirewallState? firewall) =>
        new(firewall,
            session.Inventory.All().Select(EdgeReport.Of).ToList(),
            session.Journal.All().Take(StatusCommand.RecentRotations).Select(RotationReport.Of).ToList());

    /// <summary>The exit code of <c>status</c>: 1 while a recent rotation has failed.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int ExitCode => Rotations.Any(r => r.Status == RotationStatus.Failed) ? 1 : 0;
}
