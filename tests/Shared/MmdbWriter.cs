using System.Buffers.Binary;
using System.Collections;
using System.Net;
using System.Text;

namespace GeoDns.Testing;

/// <summary>
/// Writes small MaxMind DB files (format spec 2.0) so tests need no third-party database: an IPv6
/// search tree with IPv4 networks under ::/96, where readers look IPv4 addresses up. Data values may
/// be string, double, ushort (uint16), uint (uint32), ulong (uint64), bool, string-keyed dictionaries
/// and object arrays. A network inserted inside an earlier, larger one splits it; one inserted over
/// earlier, smaller ones replaces them.
/// </summary>
public sealed class MmdbWriter(string databaseType, int recordSize = 28)
{
    private static readonly byte[] MetadataMarker = [0xAB, 0xCD, 0xEF, .. "MaxMind.com"u8];
    private readonly Node _root = new();

    public DateTimeOffset BuildTime { get; init; } = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Maps <paramref name="network"/> ("81.2.69.0/24", "2001:db8::/32") to <paramref name="data"/>.</summary>
    public MmdbWriter Insert(string network, object data)
    {
        var slash = network.IndexOf('/');
        var raw = IPAddress.Parse(network[..slash]).GetAddressBytes();
        var bits = new byte[16];
        raw.CopyTo(bits, 16 - raw.Length); // IPv4 a.b.c.d becomes ::a.b.c.d
        var length = int.Parse(network[(slash + 1)..]) + (raw.Length == 4 ? 96 : 0);
        var node = _root;
        for (var i = 0; i < length - 1; i++)
        {
            var bit = Bit(bits, i);
            if (node.Records[bit] is not Node child)
            {
                child = new Node();
                if (node.Records[bit] is { } larger) child.Records[0] = child.Records[1] = larger;
                node.Records[bit] = child;
            }
            node = child;
        }
        node.Records[Bit(bits, length - 1)] = data;
        return this;
    }

    public byte[] Build()
    {
        var nodes = new List<Node> { _root };
        for (var i = 0; i < nodes.Count; i++) nodes.AddRange(nodes[i].Records.OfType<Node>());
        var index = nodes.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);
        var data = new MemoryStream();
        var offsets = new Dictionary<object, long>(ReferenceEqualityComparer.Instance);
        var output = new MemoryStream();
        foreach (var node in nodes)
        {
            var (left, right) = (Record(node.Records[0]), Record(node.Records[1]));
            WriteNode(output, left, right);
        }
        output.Write(new byte[16]); // the data section separator
        data.WriteTo(output);
        output.Write(MetadataMarker);
        Encode(output, new Dictionary<string, object>
        {
            ["binary_format_major_version"] = (ushort)2,
            ["binary_format_minor_version"] = (ushort)0,
            ["build_epoch"] = (ulong)BuildTime.ToUnixTimeSeconds(),
            ["database_type"] = databaseType,
            ["description"] = new Dictionary<string, object> { ["en"] = $"{databaseType} test database" },
            ["ip_version"] = (ushort)6,
            ["languages"] = new object[] { "en" },
            ["node_count"] = (uint)nodes.Count,
            ["record_size"] = (ushort)recordSize,
        });
        return output.ToArray();

        // A record names a node, "no data" (node_count), or data at node_count + 16 + its offset.
        long Record(object? value)
        {
            if (value is null) return nodes.Count;
            if (value is Node child) return index[child];
            if (!offsets.TryGetValue(value, out var offset))
            {
                offsets[value] = offset = data.Length;
                Encode(data, value);
            }
            return nodes.Count + 16 + offset;
        }
    }

    public void WriteTo(string path) => File.WriteAllBytes(path, Build());

    private void WriteNode(Stream output, long left, long right)
    {
        Span<byte> node = stackalloc byte[8];
        switch (recordSize)
        {
            case 24:
                Put(node, 0, left, 3);
                Put(node, 3, right, 3);
                break;
            case 28: // the middle byte holds the top nibble of each record
                Put(node, 0, left & 0xFFFFFF, 3);
                node[3] = (byte)((left >> 20 & 0xF0) | (right >> 24 & 0x0F));
                Put(node, 4, right & 0xFFFFFF, 3);
                break;
            case 32:
                Put(node, 0, left, 4);
                Put(node, 4, right, 4);
                break;
            default:
                throw new ArgumentException($"record size {recordSize} is not 24, 28 or 32");
        }
        output.Write(node[..(recordSize * 2 / 8)]);
    }

    private static void Encode(Stream output, object value)
    {
        switch (value)
        {
            case string text:
                var utf8 = Encoding.UTF8.GetBytes(text);
                Control(output, 2, utf8.Length);
                output.Write(utf8);
                break;
            case double number:
                Control(output, 3, 8);
                Span<byte> bytes = stackalloc byte[8];
                BinaryPrimitives.WriteDoubleBigEndian(bytes, number);
                output.Write(bytes);
                break;
            case ushort number: Unsigned(output, 5, number); break;
            case uint number: Unsigned(output, 6, number); break;
            case ulong number: Unsigned(output, 9, number); break;
            case bool flag: Control(output, 14, flag ? 1 : 0); break;
            case IDictionary<string, object> map:
                Control(output, 7, map.Count);
                foreach (var (key, item) in map)
                {
                    Encode(output, key);
                    Encode(output, item);
                }
                break;
            case IList list:
                Control(output, 11, list.Count);
                foreach (var item in list) Encode(output, item!);
                break;
            default:
                throw new ArgumentException($"cannot encode {value.GetType().Name}");
        }
    }

    /// <summary>Big-endian without leading zero bytes, as MaxMind's own writers store integers.</summary>
    private static void Unsigned(Stream output, int type, ulong value)
    {
        var size = (64 - System.Numerics.BitOperations.LeadingZeroCount(value) + 7) / 8;
        Control(output, type, size);
        for (var i = size - 1; i >= 0; i--) output.WriteByte((byte)(value >> (8 * i)));
    }

    /// <summary>The control byte: type in the top 3 bits (0 and a second byte for extended types), then the size.</summary>
    private static void Control(Stream output, int type, int size)
    {
        var first = type <= 7 ? type << 5 : 0;
        var (code, extra, extraBytes) = size switch
        {
            < 29 => (size, 0, 0),
            < 29 + 256 => (29, size - 29, 1),
            < 285 + 65536 => (30, size - 285, 2),
            _ => (31, size - 65821, 3),
        };
        output.WriteByte((byte)(first | code));
        if (type > 7) output.WriteByte((byte)(type - 7));
        for (var i = extraBytes - 1; i >= 0; i--) output.WriteByte((byte)(extra >> (8 * i)));
    }

    private static void Put(Span<byte> target, int at, long value, int width)
    {
        for (var i = 0; i < width; i++) target[at + i] = (byte)(value >> (8 * (width - 1 - i)));
    }

    private static int Bit(byte[] address, int i) => address[i >> 3] >> (7 - (i & 7)) & 1;

    private sealed class Node
    {
        public readonly object?[] Records = new object?[2];
    }
}
