using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GeoDns.Answering;
using Microsoft.Extensions.Logging;

namespace GeoDns.Transport;

/// <summary>
/// UDP on one address: several sockets bound to the same port with SO_REUSEPORT, each drained by
/// its own thread with plain synchronous receive/send (measured faster here than the async
/// socket API). Buffers and the peer address are per thread and reused, so a query allocates nothing.
/// </summary>
public sealed class UdpTransport : IDisposable
{
    private readonly List<Socket> _sockets = [];
    private readonly Responder _responder;
    private readonly ILogger _log;
    private volatile bool _stopping;

    public UdpTransport(IPEndPoint endpoint, Responder responder, int socketCount, ILogger log, int receiveBufferBytes = 0)
    {
        _responder = responder;
        _log = log;
        var port = endpoint.Port;
        for (var i = 0; i < Math.Max(1, socketCount); i++)
        {
            var socket = SocketFactory.Create(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp, reusePort: socketCount > 1);
            if (receiveBufferBytes > 0) socket.ReceiveBufferSize = receiveBufferBytes;
            socket.Bind(new IPEndPoint(endpoint.Address, port));
            port = ((IPEndPoint)socket.LocalEndPoint!).Port; // port 0 resolves on the first bind; the rest share it
            _sockets.Add(socket);
        }
        LocalEndPoint = (IPEndPoint)_sockets[0].LocalEndPoint!;
        foreach (var socket in _sockets)
            new Thread(() => Serve(socket)) { IsBackground = true, Name = $"udp {LocalEndPoint}" }.Start();
    }

    public IPEndPoint LocalEndPoint { get; }

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
