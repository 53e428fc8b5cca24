using System.Buffers.Binary;

namespace GeoDns.Cookies;

/// <summary>
/// Server cookies as RFC 9018 §4 defines them, so that servers of different makes behind one
/// address interoperate: Version (1) | Reserved (3) | Timestamp (4, seconds) | Hash (8), where
/// Hash = SipHash-2-4(secret, Client Cookie | Version | Reserved | Timestamp | Client IP).
/// </summary>
public static class ServerCookie
{
    public const int ClientLength = 8, Length = 16;
    private const byte Version = 1;

    /// <summary>RFC 9018 §4.3: a cookie older than an hour has expired, and one from more than 5 minutes ahead is not ours.</summary>
    public const int LifetimeSeconds = 3600, FutureSeconds = 300;

    /// <summary>Writes a fresh server cookie for <paramref name="clientCookie"/> and <paramref name="clientAddress"/> into <paramref name="destination"/> (16 bytes).</summary>
    public static void Make(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> clientCookie, ReadOnlySpan<byte> clientAddress, uint now, Span<byte> destination)
    {
        destination[0] = Version;
        destination[1] = destination[2] = destination[3] = 0; // Reserved: zero in what we make
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], now);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], Hash(secret, clientCookie, destination[..8], clientAddress));
    }

    /// <summary>True when <paramref name="serverCookie"/> is one <paramref name="secret"/> made for this client, still within its lifetime.</summary>
    public static bool IsValid(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> clientCookie, ReadOnlySpan<byte> serverCookie, ReadOnlySpan<byte> clientAddress, uint now)
    {
        if (serverCookie.Length != Length || serverCookie[0] != Version) return false;
        // Serial number arithmetic (RFC 1982), so the check survives the 32-bit wrap in 2106.
        var age = (int)(now - BinaryPrimitives.ReadUInt32BigEndian(serverCookie[4..]));
        if (age > LifetimeSeconds || age < -FutureSeconds) return false;
        // The Reserved bytes are hashed as received (RFC 9018 Appendix A.3).
        return BinaryPrimitives.ReadUInt64LittleEndian(serverCookie[8..]) == Hash(secret, clientCookie, serverCookie[..8], clientAddress);
    }

    private static ulong Hash(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> clientCookie, ReadOnlySpan<byte> header, ReadOnlySpan<byte> clientAddress)
    {
        Span<byte> message = stackalloc byte[ClientLength + 8 + 16];
        clientCookie.CopyTo(message);
        header.CopyTo(message[ClientLength..]);
        clientAddress.CopyTo(message[(ClientLength + 8)..]);
        return SipHash.Hash24(secret, message[..(ClientLength + 8 + clientAddress.Length)]);
    }
}
