using System.Net.Sockets;

namespace GeoDns.Transport;

/// <summary>One client's TCP connection, as the transport's slot table sees it.</summary>
internal sealed class TcpConnection(Socket socket, ulong prefix)
{
    public Socket Socket { get; } = socket;

    /// <summary>The client's /24 (IPv4) or /56 (IPv6), for the per-prefix limit.</summary>
    public ulong Prefix { get; } = prefix;

    /// <summary>When it began waiting for its next query (timestamp ticks); 0 while a query is being read or answered.</summary>
    public long IdleSince;

    /// <summary>Cancels the read or send in progress: its timeout, or eviction to make room.</summary>
    public CancellationTokenSource Timer { get; } = new();

    public static ulong PrefixOf(System.Net.IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var length);
        return length == 4
            ? 1UL << 63 | (ulong)bytes[0] << 16 | (ulong)bytes[1] << 8 | bytes[2]
            : System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes) & 0xFFFF_FFFF_FFFF_FF00UL;
    }
}
