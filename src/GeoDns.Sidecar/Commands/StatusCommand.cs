using GeoDns.Sidecar.Reports;
using GeoDns.Sidecar.Rotation;

namespace GeoDns.Sidecar.Commands;

/// <summary>
/// <c>status</c>: the home firewall, the edges the sidecar knows and its recent rotations; an unfinished one with its
/// history and why it stopped. A missing firewall is printed as an error but leaves the exit code to the rotations.
/// With <c>--json</c>, the same as one <see cref="StatusReport"/> document and nothing else.
/// </summary>
public static class StatusCommand
{
    public const int RecentRotations = 10;

    public static int Run(SidecarSession session, TextWriter output, Firewall.FirewallState? firewall = null, bool json = false)
    {
        if (json)
        {
            var report = StatusReport.Of(session, firewall);
            ReportJson.Write(output, report);
            return report.ExitCode;
        }
        if (firewall is not null) output.WriteLine(firewall.Line);
        output.WriteLine("Edges:");
        foreach (var edge in session.Inventory.All())
            output.WriteLine($"  {edge.Name,-16} {edge.Role,-9} {edge.Host.Ipv4 ?? edge.Host.Ipv6,-16} tunnel {edge.Tunnel ?? "-",-15} since {Timestamp.Text(edge.Since)}");
        var rotations = session.Journal.All().Take(RecentRotations).ToList();
        output.WriteLine(rotations.Count == 0 ? "Rotations: none" : "Rotations (newest first):");
        foreach (var rotation in rotations)
        {
            output.WriteLine($"  {rotation.Summary()}");
            foreach (var note in rotation.Events.Where(e => e.What == "done" && e.Detail is not null))
                output.WriteLine($"      note ({note.Step}): {note.Detail}");
            if (!rotation.Unfinished) continue;
            foreach (var e in rotation.Events)
                output.WriteLine($"      {Timestamp.Text(e.At)} {e.Step,-9} {e.What}{(e.Detail is null ? "" : ": " + e.Detail)}");
            if (rotation.Status == RotationStatus.Failed)
                output.WriteLine($"      the old edge {rotation.OldEdge} {(rotation.Step <= RotationStep.Drain ? "still serves" : "is drained")}; `rotate {rotation.OldEdge}` retries from {rotation.Step}");
        }
        var moved = NameserverRotations(session, output);
        return rotations.Any(r => r.Status == RotationStatus.Failed) || moved.Any(r => r.Status == RotationStatus.Failed) ? 1 : 0;
    }

    /// <summary>The fleet's nameserver rotations, if any, as the edges' are printed; and sidecar.json's addresses the state corrects.</summary>
    private static List<Fleet.NameserverRotation> NameserverRotations(SidecarSession session, TextWriter output)
    {
        var rotations = new Fleet.NameserverRotationJournal(session.State, session.Time).All().Take(RecentRotations).ToList();
        if (rotations.Count > 0) output.WriteLine("Nameserver rotations (newest first):");
        foreach (var rotation in rotations)
        {
            output.WriteLine($"  {rotation.Summary()}");
            if (!rotation.Unfinished) continue;
            foreach (var e in rotation.Events)
                output.WriteLine($"      {Timestamp.Text(e.At)} {e.Step,-9} {e.What}{(e.Detail is null ? "" : ": " + e.Detail)}");
            output.WriteLine($"      the old VPS {rotation.OldHost.Name} still answers; `rotate {rotation.Nameserver}` resumes from {rotation.Step}");
        }
        foreach (var note in session.FleetNotes.Values) output.WriteLine($"Note: {note}");
        return rotations;
    }
}
