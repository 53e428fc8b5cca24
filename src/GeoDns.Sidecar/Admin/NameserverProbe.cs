using GeoDns.Contracts;

namespace GeoDns.Sidecar.Admin;

/// <summary>
/// One look at a nameserver (<see cref="NameserverClient.ProbeAsync"/>): what <c>/healthz</c> says, the zones it serves
/// (none while it is not ready: a server still starting may not list them), and, when asked for, the edges it knows.
/// </summary>
public sealed record NameserverProbe(NameserverHealth Health, IReadOnlyList<string> Zones, IReadOnlyList<EdgeView>? Edges)
{
    public bool Ready => Health.Status == "ready";

    /// <summary>Its status as a person reads it: "starting", "degraded: why".</summary>
    public string Describe() => $"{Health.Status}{(Health.Error is { } why ? $": {why}" : "")}";
}
