using GeoDns.Sidecar.State;

namespace GeoDns.Sidecar.Reports;

/// <summary>An edge as <c>status --json</c> shows it: its role, addresses, tunnel address and since when it has that role.</summary>
public sealed record EdgeReport(string Name, EdgeRole Role, string? Ipv4, string? Ipv6, string? Tunnel, DateTimeOffset Since)
{
    public static EdgeReport Of(KnownEdge edge) => new(edge.Name, edge.Role, edge.Host.Ipv4, edge.Host.Ipv6, edge.Tunnel, edge.Since);
}
