using System.Buffers.Binary;
using System.Net;

namespace GeoDns.Sidecar.WireGuard;

/// <summary>
/// The tunnel network (e.g. 10.77.0.0/24): the home is .1, edges take .10 and up. An address is
/// handed out again only once no edge holds it: a draining edge keeps its address until destroyed,
/// so its last connections never meet a newcomer on the same tunnel address.
/// </summary>
public sealed class TunnelAddresses
{
    public const int FirstEdgeOffset = 10;

    private readonly uint _network;

    private TunnelAddresses(uint network, int prefixLength)
    {
        _network = network;
        PrefixLength = prefixLength;
    }

    public int PrefixLength { get; }
    public IPAddress Home => At(1);

    /// <summary>The tunnel address of the nameserver at <paramref name="index"/> in <c>nameserverTunnels</c>: .2 and up, below the edges.</summary>
    public IPAddress Nameserver(int index) => At(2 + index);
    public int Capacity => (1 << (32 - PrefixLength)) - 1 - FirstEdgeOffset;

    /// <summary>Parses "10.77.0.0/24"; null with <paramref name="error"/> for anything else, or a network too small for a home and one edge.</summary>
    public static TunnelAddresses? Parse(string text, out string error)
    {
        error = "";
        var slash = text.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(text[..slash], out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || !int.TryParse(text[(slash + 1)..], out var length) || length is < 8 or > 27)
        {
            error = $"tunnel network '{text}' is not an IPv4 network from /8 to /27, e.g. 10.77.0.0/24";
            return null;
        }
        var mask = uint.MaxValue << (32 - length);
        return new TunnelAddresses(BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes()) & mask, length);
    }

    /// <summary>The lowest edge address that no edge in <paramref name="held"/> has; null when the network is full.</summary>
    public IPAddress? Allocate(IEnumerable<string> held)
    {
        var taken = held.ToHashSet(StringComparer.Ordinal);
        for (var offset = FirstEdgeOffset; offset < FirstEdgeOffset + Capacity; offset++)
        {
            var candidate = At(offset);
            if (!taken.Contains(candidate.ToString())) return candidate;
        }
        return null;
    }

    public bool Contains(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
        && (BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes()) & (uint.MaxValue << (32 - PrefixLength))) == _network;

    private IPAddress At(int offset)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, _network + (uint)offset);
        return new IPAddress(bytes);
    }
}
