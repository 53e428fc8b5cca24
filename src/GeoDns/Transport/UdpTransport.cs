using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GeoDns.Answering;
using Microsoft.Extensions.Logging;

namespace GeoDns.Transport;

/// <summary>
/// UDP on one address: several sockets bound to the same port with SO_REUSEPORT, each drained by
/// its own thread. On Linux a thread moves a batch of datagrams per system call
/// (<see cref="BatchedUdpLoop"/>); elsewhere, or with <c>udpBatch: 1</c>, it uses plain synchronous
/// receive/send (measured faster here than the async socket API). Buffers and the peer address are
/// per thread and reused, so a query allocates nothing.
/// </summary>
public sealed class UdpTransport : IDisposable
{
    private readonly List<Socket> _sockets = [];
    private readonly Responder _responder;
    private readonly ILogger _log;
    private volatile bool _stopping;

    private readonly int _batch;
    private readonly List<BatchedUdpLoop> _loops = [];

    public UdpTransport(IPEndPoint endpoint, Responder responder, TransportOptions options, ILogger log)
    {
        _responder = responder;
        _log = log;
        var socketCount = options.UdpSockets;
        var receiveBufferBytes = options.UdpReceiveBufferBytes;
        _batch = OperatingSystem.IsLinux() ? options.UdpBatch : 1;
        var port = endpoint.Port;
        for (var i = 0; i < Math.Max(1, socketCount); i++)
        {
            var socket = SocketFactory.Create(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp, reusePort: socketCount > 1);
            if (receiveBufferBytes > 0) socket.ReceiveBufferSize = receiveBufferBytes;
            if (_batch > 1) socket.ReceiveTimeout = 250; // wakes the batched loop to notice a stop
            socket.Bind(new IPEndPoint(endpoint.Address, port));
            port = ((IPEndPoint)socket.LocalEndPoint!).Port; // port 0 resolves on the first bind; the rest share it
            _sockets.Add(socket);
        }
        LocalEndPoint = (IPEndPoint)_sockets[0].LocalEndPoint!;
        // On a wildcard address the reply must leave from the address the query came to (multi-homed hosts).
        var wildcard = endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any);
        foreach (var socket in _sockets)
        {
            if (_batch > 1)
            {
                var loop = new BatchedUdpLoop(socket, responder, _batch, wildcard);
                _loops.Add(loop);
                new Thread(() => ServeBatched(socket, loop)) { IsBackground = true, Name = $"udp {LocalEndPoint}" }.Start();
            }
            else new Thread(() => Serve(socket)) { IsBackground = true, Name = $"udp {LocalEndPoint}" }.Start();
        }
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>True when the threads move batches of datagrams per system call (recvmmsg/sendmmsg).</summary>
    public bool Batched => _batch > 1;

    /// <summary>Bytes allocated so far by the batched loops' threads, as of each one's last batch (for the zero-allocation test).</summary>
    public long AllocatedBytes => _loops.Sum(l => Volatile.Read(ref l.Allocated));

    private void ServeBatched(Socket socket, BatchedUdpLoop loop)
    {
        // Holding a reference keeps the descriptor from being closed (and its number reused) while the loop may still use it.
        var added = false;
        socket.SafeHandle.DangerousAddRef(ref added);
        try
        {
            loop.Run(() => _stopping);
        }
        catch (Exception e) when (!_stopping)
        {
            _log.LogError(e, "UDP loop on {Endpoint} failed", LocalEndPoint);
        }
        finally
        {
            if (added) socket.SafeHandle.DangerousRelease();
            loop.Dispose();
        }
    }

    private void Serve(Socket socket)
    {
        var query = new byte[65535];
        var reply = new byte[Responder.MaxUdpPayload * 2];
        var peer = new SocketAddress(socket.AddressFamily);
        // Where the address sits in a sockaddr: sin_addr after family and port, sin6_addr after flowinfo too.
        var (addressOffset, addressLength) = socket.AddressFamily == AddressFamily.InterNetwork ? (4, 4) : (8, 16);
        while (!_stopping)
        {
            try
            {
                var received = socket.ReceiveFrom(query, SocketFlags.None, peer);
                var started = Stopwatch.GetTimestamp();
                var client = peer.Buffer.Span.Slice(addressOffset, addressLength);
                var length = _responder.Respond(query.AsSpan(0, received), reply, tcp: false, client);
                if (length == Responder.Diverted) length = _responder.RespondDiverted(query.AsSpan(0, received), reply, client); // issue 14 hook
                if (length == 0) continue;
                socket.SendTo(reply.AsSpan(0, length), SocketFlags.None, peer);
                // From the datagram in hand to the reply handed to the kernel: what this server adds.
                _responder.Metrics.ObserveResponse(tcp: false, Stopwatch.GetTimestamp() - started);
            }
            catch (Exception e) when (_stopping || e is ObjectDisposedException)
            {
                return; // the socket was closed under us: we are stopping
            }
            catch (SocketException)
            {
                // An ICMP error from an earlier send or a vanished peer: nothing to do but go on.
            }
            catch (Exception e)
            {
                _log.LogError(e, "UDP query on {Endpoint} failed", LocalEndPoint);
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var socket in _sockets) socket.Dispose();
    }
}
