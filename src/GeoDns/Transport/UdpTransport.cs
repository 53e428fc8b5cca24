using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GeoDns.Answering;
using GeoDns.Diagnostics;
using Microsoft.Extensions.Logging;

namespace GeoDns.Transport;

/// <summary>
/// UDP on one address: several sockets bound to the same port with SO_REUSEPORT, each drained by
/// its own thread. On Linux a thread moves a batch of datagrams per system call
/// (<see cref="BatchedUdpLoop"/>); elsewhere, or with <c>udpBatch: 1</c>, it uses plain synchronous
/// receive/send (measured faster here than the async socket API) — but not on a wildcard address on Linux,
/// which keeps the recvmmsg loop, one datagram a call. Buffers and the peer address are
/// per thread and reused, so a query allocates nothing. No fault ends a receive loop: a datagram whose handling
/// throws is counted, logged (a line a second at most) and skipped; a loop that ends anyway is restarted after a
/// second, and named in <see cref="Problems"/> meanwhile. Diverted messages go to the exchange's workers.
/// </summary>
public sealed partial class UdpTransport : IDisposable
{
    private readonly List<Socket> _sockets = [];
    private readonly Responder _responder;
    private readonly ILogger _log;
    private volatile bool _stopping;

    private readonly int _batch;
    private readonly bool _batched;
    private readonly List<BatchedUdpLoop> _loops = [];
    private readonly string?[] _down;
    private readonly long[] _sent; // the unbatched loops' replies, per socket (each written by its own thread)
    private readonly GeoDns.RateLimiting.LogCap _logCap = new();

    /// <summary>How long a receive loop that ended stays down before it is started again: a loop that fails at once must not spin.</summary>
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(1);

    public UdpTransport(IPEndPoint endpoint, Responder responder, TransportOptions options, ILogger log)
    {
        _responder = responder;
        _log = log;
        var socketCount = options.UdpSockets;
        var receiveBufferBytes = options.UdpReceiveBufferBytes;
        _batch = OperatingSystem.IsLinux() ? options.UdpBatch : 1;
        // On a wildcard address the reply must leave from the address the query came to (multi-homed hosts; a client
        // that asked 127.0.0.2 drops a reply from 127.0.0.1). recvfrom cannot tell that address, IP_PKTINFO with
        // recvmmsg can: on Linux the batched loop serves a wildcard address even when batching is off.
        var wildcard = endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any);
        _batched = OperatingSystem.IsLinux() && (_batch > 1 || wildcard);
        var port = endpoint.Port;
        for (var i = 0; i < Math.Max(1, socketCount); i++)
        {
            var socket = SocketFactory.Create(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp, reusePort: socketCount > 1);
            if (receiveBufferBytes > 0) socket.ReceiveBufferSize = receiveBufferBytes;
            if (_batched) socket.ReceiveTimeout = 250; // wakes the batched loop to notice a stop
            socket.Bind(new IPEndPoint(endpoint.Address, port));
            port = ((IPEndPoint)socket.LocalEndPoint!).Port; // port 0 resolves on the first bind; the rest share it
            _sockets.Add(socket);
        }
        LocalEndPoint = (IPEndPoint)_sockets[0].LocalEndPoint!;
        _down = new string?[_sockets.Count];
        _sent = new long[_sockets.Count];
        for (var i = 0; i < _sockets.Count; i++)
        {
            var (socket, index) = (_sockets[i], i);
            Action serve;
            if (_batched)
            {
                var loop = new BatchedUdpLoop(socket, responder, _batch, wildcard, Failed);
                _loops.Add(loop);
                serve = () => ServeBatched(socket, loop);
            }
            else serve = () => Serve(socket, index);
            new Thread(() => Keep(index, serve)) { IsBackground = true, Name = $"udp {LocalEndPoint}" }.Start();
        }
    }

    /// <summary>Receive loops that ended and wait to be started again, in words; empty while every socket is served.</summary>
    public IReadOnlyList<string> Problems => [.. _down.OfType<string>()];

    /// <summary>
    /// Replies sent so far by each socket's loop, in socket order: a socket that stays at 0 while the others count is one
    /// SO_REUSEPORT does not reach, or whose loop is stuck.
    /// </summary>
    public IReadOnlyList<long> Sent =>
        [.. Enumerable.Range(0, _sockets.Count).Select(i => _batched ? Volatile.Read(ref _loops[i].Sent) : Volatile.Read(ref _sent[i]))];

    /// <summary>Runs a socket's loop until we stop, starting it again whenever it ends on its own.</summary>
    private void Keep(int index, Action serve)
    {
        try
        {
            while (!_stopping)
            {
                try
                {
                    serve();
                    if (_stopping) return;
                    throw new InvalidOperationException("the receive loop returned while not stopping");
                }
                catch (Exception e)
                {
                    if (_stopping) return; // closed under the loop as we stop: nothing to restart, nothing to tell
                    _responder.InternalErrors.Count(InternalErrors.LoopRestart);
                    Volatile.Write(ref _down[index], $"UDP socket {index + 1} of {_down.Length} on {LocalEndPoint}: receive loop ended ({e.GetType().Name}: {e.Message}) at {DateTimeOffset.UtcNow:O}; restarting");
                    try
                    {
                        if (_logCap.TryTake(out var held)) LogLoopEnded(_log, e, index + 1, _down.Length, LocalEndPoint, held);
                    }
                    catch (Exception)
                    {
                        // The logger itself failing (a log file on the full disk) must not stop the restart: /healthz and the counter still tell.
                    }
                    Thread.Sleep(RestartDelay);
                    Volatile.Write(ref _down[index], null);
                }
            }
        }
        finally
        {
            if (_batched) _loops[index].Dispose();
        }
    }

    /// <summary>One datagram's handling threw: counted, logged at most once a second, and the loop goes on.</summary>
    private void Failed(Exception e)
    {
        _responder.InternalErrors.Count(InternalErrors.Udp);
        if (_logCap.TryTake(out var held)) LogQueryFailed(_log, e, LocalEndPoint, held);
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>True when the threads use recvmmsg/sendmmsg: batches of datagrams per system call, or one a call on a wildcard address with <c>udpBatch: 1</c>.</summary>
    public bool Batched => _batched;

    /// <summary>Bytes allocated so far by the batched loops' threads, as of each one's last batch (for the zero-allocation test).</summary>
    public long AllocatedBytes => _loops.Sum(l => Volatile.Read(ref l.Allocated));

    private void ServeBatched(Socket socket, BatchedUdpLoop loop)
    {
        // Holding a reference keeps the descriptor from being closed (and its number reused) while the loop may still use it.
        var added = false;
        try
        {
            socket.SafeHandle.DangerousAddRef(ref added);
            loop.Run(() => _stopping);
        }
        catch (ObjectDisposedException) when (_stopping)
        {
            // Closed as we stop.
        }
        finally
        {
            if (added) socket.SafeHandle.DangerousRelease();
        }
    }

    private void Serve(Socket socket, int index)
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
                if (length == Responder.Diverted)
                {
                    // NOTIFY, UPDATE, transfers, TSIG: a worker answers, from this socket, to a copy of the address.
                    var from = new SocketAddress(peer.Family, peer.Size);
                    peer.Buffer.Span[..peer.Size].CopyTo(from.Buffer.Span);
                    _responder.Exchanges.TryPost(new UdpExchangeJob(query[..received], new IPAddress(client), socket, from, control: null));
                    continue;
                }
                if (length <= 0) continue;
                socket.SendTo(reply.AsSpan(0, length), SocketFlags.None, peer);
                Volatile.Write(ref _sent[index], _sent[index] + 1);
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
                Failed(e);
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var socket in _sockets) socket.Dispose();
    }

    [LoggerMessage(LogLevel.Error, "UDP on {Endpoint}: handling a datagram failed ({Held} more since the last line); the loop goes on")]
    private static partial void LogQueryFailed(ILogger log, Exception exception, IPEndPoint endpoint, long held);

    [LoggerMessage(LogLevel.Error, "UDP socket {Socket} of {Sockets} on {Endpoint}: the receive loop ended ({Held} more since the last line); restarting it in a second")]
    private static partial void LogLoopEnded(ILogger log, Exception exception, int socket, int sockets, IPEndPoint endpoint, long held);
}
