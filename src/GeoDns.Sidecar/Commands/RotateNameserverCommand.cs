using GeoDns.Sidecar.Fleet;
using GeoDns.Sidecar.Reports;
using GeoDns.Sidecar.Rotation;

namespace GeoDns.Sidecar.Commands;

/// <summary>
/// <c>rotate NAMESERVER [--json]</c>: the fleet nameserver's VPS replaced by a fresh one (<see cref="NameserverRotator"/>),
/// or its unfinished rotation resumed. Each step as a <see cref="Progress"/> line, then a summary; with <c>--json</c> a
/// <see cref="NameserverRotationReport"/> as the only document on stdout (the steps go to stderr). Exit 0 when it
/// completed, 1 when it stopped (the journal keeps where: the same command resumes it).
/// </summary>
public static class RotateNameserverCommand
{
    public static async Task<int> RunAsync(SidecarSession session, string name, TextWriter output, TextWriter progressOutput, bool json, CancellationToken cancel)
    {
        var progress = new Progress(progressOutput, session.Time);
        var rotator = new NameserverRotator(session, progress);
        var prepared = rotator.Prepare(name);
        if (!prepared.Ok)
        {
            if (json) ReportJson.Write(output, new { error = prepared.Error });
            else output.WriteLine($"rotate {name}: {prepared.Error}");
            return 1;
        }
        var rotation = prepared.Value!;
        progress.Step(rotation.Nameserver, rotation.Events.Count > 1
            ? $"resuming rotation #{rotation.Id} at {rotation.Step} ({rotation.OldHost.Name} -> {rotation.NewHost?.Name ?? rotation.NewName})"
            : $"rotation #{rotation.Id}: {rotation.OldHost.Name} at {NameserverRotation.Address(rotation.OldHost)} is replaced by a new VPS, {rotation.NewName}");
        rotation = await rotator.RunAsync(rotation, cancel);

        // The notes of the other nameservers as the session found them; this one's as the rotation left it.
        var notes = session.FleetNotes.Where(n => !n.Key.Equals(rotation.Nameserver, StringComparison.OrdinalIgnoreCase)).Select(n => n.Value).ToList();
        var nameserver = session.Options.Fleet.Nameservers.First(n => n.Name.Equals(rotation.Nameserver, StringComparison.OrdinalIgnoreCase));
        if (rotation.NewHost is { } fresh && rotation.Step > NameserverRotationStep.Switch && nameserver.Listed is { Count: > 0 } listed
            && !listed.ToHashSet().SetEquals(new[] { fresh.Ipv4, fresh.Ipv6 }.OfType<string>()))
            notes.Add(FleetState.StaleNote(nameserver.Name, listed, fresh));
        if (json)
        {
            ReportJson.Write(output, NameserverRotationReport.Of(rotation, notes));
            return rotation.Status == RotationStatus.Completed ? 0 : 1;
        }
        if (rotation.Status == RotationStatus.Completed)
        {
            output.WriteLine($"rotate: {rotation.Nameserver} is {rotation.NewHost!.Name} at {NameserverRotation.Address(rotation.NewHost)}; "
                + $"the parent's glue says so, and the old VPS {rotation.OldHost.Name} ({NameserverRotation.Address(rotation.OldHost)}) is destroyed");
        }
        else
        {
            output.WriteLine($"rotate {rotation.Nameserver} failed at {rotation.Step}: {rotation.Error}");
            output.WriteLine($"  the old VPS {rotation.OldHost.Name} ({NameserverRotation.Address(rotation.OldHost)}) still answers; "
                + $"`geodns-sidecar rotate {rotation.Nameserver}` resumes from {rotation.Step}{(rotation.NewHost is null ? "" : $" with {rotation.NewHost.Name} (no other VPS is bought)")}");
        }
        foreach (var note in notes) output.WriteLine($"  note: {note}");
        return rotation.Status == RotationStatus.Completed ? 0 : 1;
    }
}
