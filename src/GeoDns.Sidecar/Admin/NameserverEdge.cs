using GeoDns.Contracts;

namespace GeoDns.Sidecar.Admin;

/// <summary>What the sidecar needs of one entry of a nameserver's <c>GET /v1/edges</c>: its per-address states and whether it is drained.</summary>
public sealed record NameserverEdge(string Name, string? Pool, IReadOnlyList<EdgeState> States, bool Drained)
{
    /// <summary>Up on every address: only then may the edge it replaces be drained.</summary>
    public bool IsUp => States.Count > 0 && States.All(s => s == EdgeState.Up);

    /// <summary>Down on every address: the trigger for an automatic rotation.</summary>
    public bool IsDown => States.Count > 0 && States.All(s => s == EdgeState.Down);

    public string Describe() => States.Count == 0 ? "no state" : string.Join("/", States.Distinct());

    /// <summary>The probed state of each address (what the nameserver's probes see, not a forced state).</summary>
    public static NameserverEdge From(EdgeView view) => new(view.Name, view.Pool, view.Addresses.Select(a => a.State).ToList(), view.Drained);
}
