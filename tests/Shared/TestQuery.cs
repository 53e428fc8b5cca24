using System.Buffers.Binary;
using System.Text;

namespace GeoDns.Testing;

/// <summary>Builds query packets byte by byte, so tests control every field, including broken ones.</summary>
public static class TestQuery
{
    public static byte[] Build(string name, ushort type, ushort id = 0x1234, int? ednsPayload = null, bool rd = false, byte ednsVersion = 0, bool dnssecOk = false, ushort qclass = 1)
    {
        var bytes = new List<byte>();
        bytes.AddRange([(byte)(id >> 8), (byte)id, (byte)(rd ? 1 : 0), 0, 0, 1, 0, 0, 0, 0, 0, (byte)(ednsPayload is null ? 0 : 1)]);
        bytes.AddRange(Name(name));
        bytes.AddRange([(byte)(type >> 8), (byte)type, (byte)(qclass >> 8), (byte)qclass]);
        if (ednsPayload is { } payload)
            bytes.AddRange([0, 0, 41, (byte)(payload >> 8), (byte)payload, 0, ednsVersion, (byte)(dnssecOk ? 0x80 : 0), 0, 0, 0]);
        return [.. bytes];
    }

    /// <summary>Appends an EDNS option to a query whose OPT record is last (as <see cref="Build"/> makes it).</summary>
    public static byte[] WithOption(byte[] query, ushort code, params byte[] data)
    {
        // Find the OPT's RDLENGTH: the two bytes before its existing RDATA, which runs to the end.
        var at = query.Length - 2;
        while ((query[at] << 8 | query[at + 1]) != query.Length - at - 2) at--;
        var length = query.Length - at - 2 + 4 + data.Length;
        return [.. query[..at], (byte)(length >> 8), (byte)length, .. query[(at + 2)..], (byte)(code >> 8), (byte)code, (byte)(data.Length >> 8), (byte)data.Length, .. data];
    }

    /// <summary>An EDNS Client Subnet option body (RFC 7871 §6) for an IPv4 or IPv6 subnet such as "192.0.2.0/24".</summary>
    public static byte[] ClientSubnet(string subnet, byte scope = 0)
    {
        var parts = subnet.Split('/');
        var address = System.Net.IPAddress.Parse(parts[0]);
        var prefix = byte.Parse(parts[1]);
        var family = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 1 : 2;
        return [0, (byte)family, prefix, scope, .. address.GetAddressBytes()[..((prefix + 7) / 8)]];
    }

    public static byte[] Name(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        bytes.Add(0);
        return [.. bytes];
    }

    public static ushort Id(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message);
}
