using System.Buffers.Binary;

namespace GeoDns.Geo;

/// <summary>
/// A fixed-size, lossy, lock-free map from an address block (an IPv4 /24 or an IPv6 /56) to its
/// location. Each slot holds an immutable entry swapped in whole, so a reader racing a writer sees
/// the old entry or the new one, never a mix; a hit allocates nothing. Colliding blocks evict each
/// other: the cache only has to catch the resolvers that ask again and again.
/// </summary>
internal sealed class GeoCache
{
    public const int Ipv4KeyPrefix = 24;
    public const int Ipv6KeyPrefix = 56;
    private const int SlotBits = 16;

    private readonly Entry?[] _slots = new Entry?[1 << SlotBits];

    /// <summary>
    /// The key of the block holding <paramref name="address"/> (4 or 16 bytes). An IPv6 key keeps the
    /// top 56 bits and so ends in a zero byte; an IPv4 key ends in 1: the families cannot collide.
    /// </summary>
    public static ulong KeyOf(ReadOnlySpan<byte> address) => address.Length == 4
        ? (ulong)address[0] << 32 | (ulong)address[1] << 24 | (ulong)address[2] << 16 | 1
        : BinaryPrimitives.ReadUInt64BigEndian(address) & ~0xFFUL;

    public bool TryGet(ulong key, out GeoLocation location)
    {
        var entry = Volatile.Read(ref _slots[Slot(key)]);
        if (entry is not null && entry.Key == key)
        {
            location = entry.Location;
            return true;
        }
        location = default;
        return false;
    }

    public void Store(ulong key, GeoLocation location) => Volatile.Write(ref _slots[Slot(key)], new Entry(key, location));

    /// <summary>Fibonacci hashing: neighbouring blocks, the common case, land far apart.</summary>
    private static int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> (64 - SlotBits));

    private sealed record Entry(ulong Key, GeoLocation Location);
}
