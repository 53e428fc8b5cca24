using System.Buffers.Binary;
using GeoDns.Protocol;

namespace GeoDns.Tsig;

/// <summary>
/// A TSIG RR's fields (RFC 8945 §4.2), read from its RDATA in one place for both directions: a request we verify
/// and a reply to a request of ours.
/// </summary>
public sealed record TsigRecord(DnsName KeyName, DnsName Algorithm, ulong TimeSigned, ushort Fudge, byte[] Mac, ushort OriginalId, ushort Error, byte[] Other)
{
    /// <summary>The fields of <paramref name="record"/>, or null when its RDATA does not parse or has bytes left over.</summary>
    public static TsigRecord? Parse(WireRecord record)
    {
        var data = record.Data;
        var offset = 0;
        if (MessageReader.ReadName(data, ref offset) is not { } algorithm || offset + 10 > data.Length) return null;
        var timeSigned = ((ulong)BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(offset)) << 32) | BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset + 2));
        var fudge = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(offset + 6));
        var macSize = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(offset + 8));
        offset += 10;
        if (offset + macSize + 6 > data.Length) return null;
        var mac = data.AsSpan(offset, macSize).ToArray();
        offset += macSize;
        var originalId = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(offset));
        var error = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(offset + 2));
        var otherLength = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(offset + 4));
        if (offset + 6 + otherLength != data.Length) return null;
        return new TsigRecord(record.Owner, algorithm, timeSigned, fudge, mac, originalId, error, data.AsSpan(offset + 6, otherLength).ToArray());
    }
}
