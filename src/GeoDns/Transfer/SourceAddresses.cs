using System.Net;
using System.Net.Sockets;

namespace GeoDns.Transfer;

/// <summary>
/// Where the exchange's own messages leave from (BIND's transfer-source and notify-source): the first address of each
/// family the server answers on, unless that is a wildcard. A primary allows transfers, and a secondary takes NOTIFY,
/// from the peer's listed address; on a host with more than one (a floating IP, a second interface) the kernel would
/// otherwise pick the route's address, and the peer would refuse it.
/// </summary>
public sealed record SourceAddresses(IPAddress? V4, IPAddress? V6)
{
    public static readonly SourceAddresses Any = new(null, null);

    public static SourceAddresses From(IEnumerable<IPEndPoint> listen)
    {
        var bound = listen.Select(e => e.Address).Where(a => !a.Equals(IPAddress.Any) && !a.Equals(IPAddress.IPv6Any)).ToList();
        return new(bound.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork), bound.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetworkV6));
    }

    /// <summary>Binds <paramref name="socket"/> to this family's source, when there is one; the port stays the kernel's choice.</summary>
    public void Bind(Socket socket)
    {
        var source = socket.AddressFamily == AddressFamily.InterNetwork ? V4 : V6;
        if (source is not null) socket.Bind(new IPEndPoint(source, 0));
    }
}
