namespace GeoDns.Transport;

/// <summary>Socket settings; the defaults suit a small VPS.</summary>
public sealed class TransportOptions
{
    /// <summary>UDP sockets per listen address, each with its own receive thread (SO_REUSEPORT spreads queries over them).</summary>
    public int UdpSockets { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Receive buffer of each UDP socket (SO_RCVBUF; Linux caps it at net.core.rmem_max). Large, so a
    /// burst, or a moment off the CPU during a flood, queues queries instead of dropping them: the
    /// kernel cannot tell a resolver's query from a flood's, but RRL can, once the query is read.
    /// </summary>
    public int UdpReceiveBufferBytes { get; set; } = 4 << 20;

    /// <summary>A TCP connection that sends nothing for this long is closed (RFC 7766 §6.2.3).</summary>
    public TimeSpan TcpIdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Connections beyond this are closed on accept, so a flood of idle clients cannot exhaust us.</summary>
    public int MaxTcpConnections { get; set; } = 256;
}
