using GeoDns.Geo;

namespace GeoDns.Answering;

/// <summary>
/// Where a client is, for a pool answer: its ECS subnet (RFC 7871) when the query gives one with a
/// source prefix, else the address of the resolver that asks. Shared by the query path and the
/// admin's explanation, so both place a client the same way. Allocates nothing.
/// </summary>
public static class ClientLocator
{
    /// <summary>ECS addresses are looked up no more precisely than this (RFC 7871 §11.1: privacy), and scopes are capped to it.</summary>
    public const int Ipv4SubnetCap = 24, Ipv6SubnetCap = 56;

    /// <param name="ecsAddress">The ECS address, 4 or 16 bytes; empty when the query has no ECS or source prefix 0.</param>
    /// <param name="client">The sender's address, 4 or 16 bytes (IPv4-mapped IPv6 is looked up as IPv4).</param>
    /// <param name="scope">The ECS scope the reply may claim: the matched network's prefix, capped; 0 without ECS.</param>
    public static GeoLocation Locate(GeoDatabase geo, ReadOnlySpan<byte> ecsAddress, int ecsSourcePrefix, ReadOnlySpan<byte> client, out byte scope)
    {
        scope = 0;
        if (ecsAddress.Length is 4 or 16 && ecsSourcePrefix > 0)
        {
            Span<byte> address = stackalloc byte[ecsAddress.Length];
            ecsAddress.CopyTo(address);
            var cap = address.Length == 4 ? Ipv4SubnetCap : Ipv6SubnetCap;
            Truncate(address, Math.Min(ecsSourcePrefix, cap));
            var location = geo.Lookup(address);
            scope = (byte)Math.Min(location.PrefixLength, cap);
            return location;
        }
        // No ECS, or source prefix 0 (the resolver withholds the subnet): locate the resolver itself, scope 0.
        if (client.Length == 16 && client[..10].IndexOfAnyExcept((byte)0) < 0 && client[10] == 0xFF && client[11] == 0xFF) client = client[12..];
        return client.Length is 4 or 16 ? geo.Lookup(client) : default;
    }

    private static void Truncate(Span<byte> address, int bits)
    {
        for (var i = 0; i < address.Length; i++)
        {
            var keep = Math.Clamp(bits - 8 * i, 0, 8);
            address[i] &= (byte)(0xFF00 >> keep);
        }
    }
}
