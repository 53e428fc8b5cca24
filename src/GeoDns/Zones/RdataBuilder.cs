using System.Buffers.Binary;

namespace GeoDns.Zones;

/// <summary>Accumulates RDATA octets in network byte order (RFC 1035 §2.3.2).</summary>
internal sealed class RdataBuilder
{
    /// <summary>RDLENGTH is 16 bits (RFC 1035 §3.2.1).</summary>
    public const int MaxLength = ushort.MaxValue;

    private readonly List<byte> _bytes = [];

    public int Length => _bytes.Count;

    public void U8(byte value) => _bytes.Add(value);

    public void U16(ushort value)
    {
        Span<byte> buffer = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(buffer, value);
        _bytes.AddRange(buffer);
    }

    public void U32(uint value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, value);
        _bytes.AddRange(buffer);
    }

    public void Bytes(ReadOnlySpan<byte> value) => _bytes.AddRange(value);

    public byte[] ToArray()
    {
        if (_bytes.Count > MaxLength) throw new FormatException($"record data of {_bytes.Count} octets is longer than 65535");
        return [.. _bytes];
    }
}
