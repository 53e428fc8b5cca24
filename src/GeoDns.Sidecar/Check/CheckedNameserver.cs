using System.Net;
using GeoDns.Contracts;
using GeoDns.Sidecar.Admin;

namespace GeoDns.Sidecar.Check;

/// <summary>
/// One nameserver as <c>check</c> sees it: its name (<c>nameserverTunnels[].name</c>), the public address resolvers
/// ask, its admin client, and what that admin API said (null edges or zones when it did not answer).
/// </summary>
public sealed record CheckedNameserver(string Name, IPEndPoint Dns, NameserverClient? Admin)
{
    public IReadOnlyList<string>? Zones { get; init; }

    /// <summary>The pool's edges as this nameserver lists them; null when its admin API did not answer.</summary>
    public IReadOnlyList<EdgeView>? Edges { get; init; }

    public string? AdminProblem { get; init; }

    /// <summary>The pool's emergency switch there; null when not known (its admin API did not answer, or it is older than the switch).</summary>
    public EmergencyView? Emergency { get; init; }

    /// <summary>The version its <c>/healthz</c> reports (null when it did not say).</summary>
    public string? Version { get; init; }

    /// <summary><c>ns1 (198.51.100.1)</c>: names in every line, so a failure says which machine to look at.</summary>
    public string Label => $"{Name} ({Dns.Address})";
}
