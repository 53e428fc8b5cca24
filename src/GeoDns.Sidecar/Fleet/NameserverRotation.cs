using GeoDns.Sidecar.Rotation;

namespace GeoDns.Sidecar.Fleet;

/// <summary>
/// One replacement of fleet nameserver <see cref="Nameserver"/>'s VPS, as journaled: the VPS it replaces, the new one
/// (named before anything runs, so a create hook run twice finds the VPS it made), and the step it is at.
/// </summary>
public sealed record NameserverRotation
{
    public int Id { get; init; }

    /// <summary>The nameserver's name in the fleet (<c>ns1</c>): it stays; its VPS and addresses change.</summary>
    public string Nameserver { get; init; } = "";

    /// <summary>The VPS it replaces, as it was when the rotation began (the destroy hook gets it at the end).</summary>
    public EdgeHost OldHost { get; init; } = new();

    /// <summary>The new VPS's name, chosen before the create hook runs: <c>ns1-r1</c>, then <c>ns1-r2</c>.</summary>
    public string NewName { get; init; } = "";

    /// <summary>What the create hook printed; null until <see cref="NameserverRotationStep.Create"/> is done.</summary>
    public EdgeHost? NewHost { get; init; }

    public NameserverRotationStep Step { get; init; } = NameserverRotationStep.Create;
    public bool StepStarted { get; init; }
    public RotationStatus Status { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset Started { get; init; }

    /// <summary>When the parent was first seen serving the new glue: the old VPS retires a wait after it, a restart included.</summary>
    public DateTimeOffset? Delegated { get; init; }

    public DateTimeOffset? Finished { get; init; }
    public List<NameserverRotationEvent> Events { get; init; } = [];

    public bool Unfinished => Status != RotationStatus.Completed;

    public string Summary() =>
        $"#{Id} {Nameserver}: {OldHost.Name} {Address(OldHost)} -> {NewHost?.Name ?? NewName} {(NewHost is null ? "" : Address(NewHost))}".TrimEnd()
        + $": {Status} at {Step}{(Error is null ? "" : $": {Error}")}";

    public static string Address(EdgeHost host) => string.Join(", ", new[] { host.Ipv4, host.Ipv6 }.OfType<string>());
}
