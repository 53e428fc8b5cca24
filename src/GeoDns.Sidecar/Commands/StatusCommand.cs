using GeoDns.Sidecar.Reports;
using GeoDns.Sidecar.Rotation;

namespace GeoDns.Sidecar.Commands;

/// <summary>
/// <c>status</c>: the home firewall, the pool's emergency answer while it is on, the edges the sidecar knows and its
/// recent rotations; an unfinished one with its history and why it stopped. A missing firewall is printed as an error
/// and an emergency answer as a line of its own, but the exit code is left to the rotations. With <c>--json</c>, the
/// same as one <see cref="StatusReport"/> document and nothing else.
/// </summary>
public static class StatusCommand
{
    public const int RecentRotations = 10;

    public static int Run(SidecarSession session, TextWriter output, Firewall.FirewallState? firewall = null, bool json = false, IReadOnlyList<EmergencyReport>? emergency = null)
    {
        if (json)
        {
            var report = StatusReport.Of(session, firewall) with { Emergency = emergency };
            ReportJson.Write(output, report);
            return report.ExitCode;
        }
        if (firewall is not null) output.WriteLine(firewall.Line);
        WriteEmergency(output, session.Options, emergency);
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

    /// <summary>
    /// The pool's emergency switch on each nameserver, each asked once within <c>check.timeout</c> (it opens no state: asked
    /// beside the daemon too); null when the config names no nameservers or token to ask.
    /// </summary>
    public static async Task<IReadOnlyList<EmergencyReport>?> EmergencyAsync(SidecarOptions options, CancellationToken cancel)
    {
        var token = options.AdminTokenValue();
        if (!token.Ok) return null;
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var names = Daemon.FleetWatch.NameserverNames(options);
        var pool = options.Pool.TrimEnd('.');
        return await Task.WhenAll(options.Nameservers.Select(async (url, i) =>
        {
            var client = new Admin.NameserverClient(new Uri(url), token.Value!, http);
            var name = names.ElementAtOrDefault(i) ?? client.ToString();
            var asked = await client.GuardedAsync(token => client.EmergencyAsync(pool, token), options.Check.Timeout, TimeProvider.System, cancel);
            return asked.Value is { } view ? new EmergencyReport(name, view.On, view.Since, view.Reason, view.Records, null)
                : new EmergencyReport(name, null, null, null, [], asked.Error ?? $"{client}: no pool {pool} there, or a version without the emergency switch");
        }));
    }

    /// <summary>A line while the emergency answer is on somewhere; nothing while it is off everywhere (or not known).</summary>
    public static void WriteEmergency(TextWriter output, SidecarOptions options, IReadOnlyList<EmergencyReport>? emergency)
    {
        var on = emergency?.Where(e => e.On == true).ToList() ?? [];
        if (on.Count == 0) return;
        var off = emergency!.Where(e => e.On == false).Select(e => e.Nameserver).ToList();
        output.WriteLine($"Emergency answer ON for {options.Pool.TrimEnd('.')} since {on[0].Since?.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC" +
            (on[0].Reason is { Length: > 0 } why ? $" ({why})" : "") + $" on {string.Join(", ", on.Select(e => e.Nameserver))}" +
            (off.Count > 0 ? $" (off on {string.Join(", ", off)})" : "") + $": answering {string.Join("; ", on[0].Records)}; `geodns-sidecar emergency off` ends it");
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
