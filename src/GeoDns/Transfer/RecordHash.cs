using System.Buffers.Binary;
using System.Security.Cryptography;
using GeoDns.Protocol;

namespace GeoDns.Transfer;

/// <summary>
/// A record's identity as 128 bits (owner, type, TTL and RDATA; a TTL change is a removal and an addition), and a
/// version's content as the sum of its records' hashes: the sum does not depend on order, and a step moves it by what
/// the step removed and added, so a pool's few records change a 100,000-record zone's hash without reading the zone.
/// </summary>
public static class RecordHash
{
    public static UInt128 Of(ResourceRecord r)
    {
        var length = r.Owner.Wire.Length + 6 + r.Data.Length;
        Span<byte> bytes = length <= 512 ? stackalloc byte[length] : new byte[length];
        r.Owner.Wire.CopyTo(bytes);
        var at = r.Owner.Wire.Length;
        BinaryPrimitives.WriteUInt16BigEndian(bytes[at..], r.Type);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[(at + 2)..], r.Ttl);
        r.Data.CopyTo(bytes[(at + 6)..]);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(bytes, digest);
        return BinaryPrimitives.ReadUInt128BigEndian(digest);
    }

    public static UInt128 Sum(IEnumerable<ResourceRecord> records)
    {
        UInt128 sum = 0;
        foreach (var r in records) sum += Of(r); // wraps: a sum modulo 2^128
        return sum;
    }

    public static string Text(UInt128 hash) => hash.ToString("X32");
}
