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
