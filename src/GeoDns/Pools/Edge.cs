using System.Net;
using GeoDns.Health;

namespace GeoDns.Pools;

/// <summary>A validated edge. <see cref="Source"/> is "config" or "api" (added at run time).</summary>
public sealed record Edge(string Name, IPAddress? Ipv4, IPAddress? Ipv6, double? Latitude, double? Longitude, string? Country, double Weight, string Source = "config")
{
    public IEnumerable<IPAddress> Addresses() => new[] { Ipv4, Ipv6 }.OfType<IPAddress>();

    public ProbeTarget? Target(IPAddress? address, ProbeSettings probe) => address is null ? null : new ProbeTarget(address, probe);
}
