namespace GeoDns.Transport;

/// <summary>Socket settings; the defaults suit a small VPS facing the Internet.</summary>
public sealed class TransportOptions
{
    /// <summary>UDP sockets per listen address, each with its own receive thread (SO_REUSEPORT spreads queries over them).</summary>
    public int UdpSockets { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Datagrams moved per system call on Linux (recvmmsg/sendmmsg), 2 to 64; 1 turns batching off
    /// (one recvfrom and one sendto per query, as on other systems; on a wildcard address one recvmmsg and one
    /// sendmmsg per query, so each reply still leaves from the address its query was sent to).
    /// </summary>
    public int UdpBatch { get; set; } = 32;

    /// <summary>
    /// Receive buffer of each UDP socket (SO_RCVBUF; Linux caps it at net.core.rmem_max). Large, so a
    /// burst, or a moment off the CPU during a flood, queues queries instead of dropping them: the
    /// kernel cannot tell a resolver's query from a flood's, but RRL can, once the query is read.
    /// </summary>
    public int UdpReceiveBufferBytes { get; set; } = 4 << 20;

    /// <summary>
    /// A TCP connection that sends nothing for this long is closed (RFC 7766 §6.2.3), and clients are
    /// told so (RFC 7828 edns-tcp-keepalive). Once more than half the slots are taken it shrinks in
    /// step with the free slots, down to <see cref="TcpMinIdleTimeout"/>.
    /// </summary>
    public TimeSpan TcpIdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The idle timeout when every slot is taken.</summary>
    public TimeSpan TcpMinIdleTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A reply the client does not read within this is abandoned with its connection: a client that never reads cannot hold a slot.</summary>
    public TimeSpan TcpSendTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Kernel send buffer per TCP connection (SO_SNDBUF): the most that waits for a slow reader.</summary>
    public int TcpSendBufferBytes { get; set; } = 64 << 10;

    /// <summary>Open TCP connections. When all are taken, a new client closes the connection idle the longest; when none is idle, it is refused.</summary>
    public int MaxTcpConnections { get; set; } = 256;

    /// <summary>Open TCP connections per client prefix (/24 for IPv4, /56 for IPv6), so one network cannot take every slot.</summary>
    public int MaxTcpConnectionsPerPrefix { get; set; } = 32;

    /// <summary>The problems with these options, each naming its key (under <c>transport.</c>); empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (UdpSockets is < 1 or > 256) errors.Add($"transport.udpSockets: {UdpSockets} is not between 1 and 256");
        if (UdpBatch is < 1 or > 64) errors.Add($"transport.udpBatch: {UdpBatch} is not between 1 (off) and 64");
        if (MaxTcpConnections < 1) errors.Add($"transport.maxTcpConnections: {MaxTcpConnections} is below 1");
        if (MaxTcpConnectionsPerPrefix < 1) errors.Add($"transport.maxTcpConnectionsPerPrefix: {MaxTcpConnectionsPerPrefix} is below 1");
        if (TcpIdleTimeout <= TimeSpan.Zero) errors.Add($"transport.tcpIdleTimeout: {TcpIdleTimeout} is not positive");
        if (TcpMinIdleTimeout <= TimeSpan.Zero || TcpMinIdleTimeout > TcpIdleTimeout)
            errors.Add($"transport.tcpMinIdleTimeout: {TcpMinIdleTimeout} is not between 0 and tcpIdleTimeout");
        if (TcpSendTimeout <= TimeSpan.Zero) errors.Add($"transport.tcpSendTimeout: {TcpSendTimeout} is not positive");
        if (TcpSendBufferBytes < 4096) errors.Add($"transport.tcpSendBufferBytes: {TcpSendBufferBytes} is below 4096");
        return errors;
    }

    /// <summary>The idle timeout with <paramref name="open"/> connections open: full up to half the slots, then shrinking with the free ones.</summary>
    public TimeSpan IdleTimeout(int open)
    {
        var half = MaxTcpConnections / 2;
        if (open <= half) return TcpIdleTimeout;
        var free = Math.Max(0, MaxTcpConnections - open);
        var scaled = TcpIdleTimeout * ((double)free / Math.Max(1, MaxTcpConnections - half));
        return scaled < TcpMinIdleTimeout ? TcpMinIdleTimeout : scaled;
    }
}
