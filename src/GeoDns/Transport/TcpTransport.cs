using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GeoDns.Answering;
using GeoDns.Diagnostics;
using Microsoft.Extensions.Logging;

namespace GeoDns.Transport;

/// <summary>
/// DNS over TCP on one address (RFC 7766): 2-byte length framing, several queries per connection
/// answered in order. So that no client can hold the server hostage (§6.2.3), connections live in a
/// fixed table of slots: a cap per client prefix, an idle timeout that shrinks as the slots fill,
/// the longest-idle connection closed when a new client finds every slot taken, and a send timeout
/// with a small kernel send buffer, so a client that never reads loses its slot instead of queueing
/// replies without end. Clients that ask are told the idle timeout (RFC 7828 edns-tcp-keepalive).
/// No fault ends the accept loop: a connection whose setup throws is counted, logged (a line a second at most) and
/// closed; a loop that ends anyway is restarted after a second, and named in <see cref="Problems"/> meanwhile.
/// </summary>
public sealed partial class TcpTransport : IDisposable
{
    private readonly Socket _listener;
    private readonly Responder _responder;
    private readonly TransportOptions _options;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly TcpSlots _slots;
    private readonly GeoDns.RateLimiting.LogCap _logCap = new();
    private volatile string? _down;

    /// <summary>How long an accept loop that ended stays down before it is started again: a loop that fails at once must not spin.</summary>
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(1);

    public TcpTransport(IPEndPoint endpoint, Responder responder, TransportOptions options, ILogger log)
    {
        _responder = responder;
        _options = options;
        _log = log;
        _slots = new TcpSlots(options.MaxTcpConnections, options.MaxTcpConnectionsPerPrefix);
        _listener = SocketFactory.Create(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp, reusePort: false);
        _listener.Bind(endpoint);
        _listener.Listen(512);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _ = KeepAcceptingAsync();
    }

    /// <summary>The accept loop, in words, while it has ended and waits to be started again; empty while it runs.</summary>
    public IReadOnlyList<string> Problems => _down is { } down ? [down] : [];

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Connections open now.</summary>
    public int Open => _slots.Open;

    /// <summary>Runs the accept loop until we stop, starting it again whenever it ends on its own.</summary>
    private async Task KeepAcceptingAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await AcceptAsync();
                if (_stop.IsCancellationRequested) return;
                throw new InvalidOperationException("the accept loop returned while not stopping");
            }
            catch (Exception e)
            {
                if (_stop.IsCancellationRequested) return; // closed under the loop as we stop: nothing to restart, nothing to tell
                _responder.InternalErrors.Count(InternalErrors.LoopRestart);
                _down = $"TCP on {LocalEndPoint}: accept loop ended ({e.GetType().Name}: {e.Message}) at {DateTimeOffset.UtcNow:O}; restarting";
                try
                {
                    if (_logCap.TryTake(out var held)) LogLoopEnded(_log, e, LocalEndPoint, held);
                }
                catch (Exception)
                {
                    // The logger itself failing (a log file on the full disk) must not stop the restart: /healthz and the counter still tell.
                }
                try { await Task.Delay(RestartDelay, _stop.Token); }
                catch (OperationCanceledException) { return; }
                _down = null;
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { continue; }
            try
            {
                Start(client);
            }
            catch (SocketException)
            {
                client.Dispose(); // the peer left before it was set up
            }
            catch (Exception e)
            {
                // Our fault, not the client's: counted and logged, this connection closed (even if logging fails), the loop goes on.
                try
                {
                    _responder.InternalErrors.Count(InternalErrors.Tcp);
                    if (_logCap.TryTake(out var held)) LogSetupFailed(_log, e, LocalEndPoint, held);
                }
                finally
                {
                    client.Dispose();
                }
            }
        }
    }

    /// <summary>Gives <paramref name="client"/> a slot and starts serving it; a client refused a slot is closed.</summary>
    private void Start(Socket client)
    {
        var address = ((IPEndPoint)client.RemoteEndPoint!).Address;
        var connection = new TcpConnection(client, TcpConnection.PrefixOf(address));
        var slot = _slots.Admit(connection);
        if (slot < 0)
        {
            client.Dispose();
            return;
        }
        try
        {
            client.NoDelay = true;
            client.SendBufferSize = _options.TcpSendBufferBytes;
        }
        catch
        {
            _slots.Release(connection, slot);
            connection.Timer.Dispose();
            throw;
        }
        _ = ServeAsync(connection, slot, address.GetAddressBytes());
    }

    private async Task ServeAsync(TcpConnection connection, int slot, byte[] peer)
    {
        var client = connection.Socket;
        var query = new byte[65535];
        var reply = new byte[2 + 65535];
        var stopping = _stop.Token.Register(static c => ((TcpConnection)c!).Timer.Cancel(), connection);
        try
        {
            using (client)
                while (true)
                {
                    var idle = _options.IdleTimeout(Open);
                    Volatile.Write(ref connection.IdleSince, Stopwatch.GetTimestamp());
                    if (!await ReadAsync(connection, query.AsMemory(0, 2), idle)) return;
                    Volatile.Write(ref connection.IdleSince, 0);
                    var length = BinaryPrimitives.ReadUInt16BigEndian(query);
                    if (length == 0 || !await ReadAsync(connection, query.AsMemory(0, length), idle)) return;
                    var started = Stopwatch.GetTimestamp();
                    // RFC 7828 §3.3.2: the timeout in units of 100 ms.
                    var keepalive = (ushort)Math.Min(ushort.MaxValue, idle.TotalMilliseconds / 100);
                    var written = _responder.Respond(query.AsSpan(0, length), reply.AsSpan(2), tcp: true, peer, keepalive);
                    if (written == 0) continue;
                    if (written == Responder.Diverted)
                    {
                        if (!await ExchangeAsync(connection, query[..length], peer, reply)) return;
                        continue;
                    }
                    BinaryPrimitives.WriteUInt16BigEndian(reply, (ushort)written);
                    if (!await SendAsync(connection, reply.AsMemory(0, 2 + written))) return;
                    _responder.Metrics.ObserveResponse(tcp: true, Stopwatch.GetTimestamp() - started);
                }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer left, went idle too long, stopped reading, was evicted, or we are stopping.
        }
        catch (Exception e)
        {
            // Our fault, not the client's: this connection ends, the others and the listener go on.
            _responder.InternalErrors.Count(InternalErrors.Tcp);
            if (_logCap.TryTake(out var held)) LogConnectionFailed(_log, e, LocalEndPoint, held);
        }
        finally
        {
            stopping.Dispose(); // waits out a running callback: only then may the timer go
            _slots.Release(connection, slot);
            connection.Timer.Dispose();
        }
    }

    /// <summary>
    /// Hands a diverted message (transfer, NOTIFY, UPDATE, TSIG) to the exchange's workers and sends their replies.
    /// While it waits the connection counts as idle, so it can be closed to make room like any idle one; each
    /// reply goes out under the send timeout (none, as for a response, and the connection reads on). False closes
    /// the connection: the queue was full, the wait ran out or was cut by eviction, or the client did not read a reply.
    /// </summary>
    private async Task<bool> ExchangeAsync(TcpConnection connection, byte[] message, byte[] peer, byte[] reply)
    {
        var job = new TcpExchangeJob(message, new IPAddress(peer));
        if (!_responder.Exchanges.TryPost(job)) return false;
        var timer = connection.Timer;
        timer.CancelAfter(ExchangeWait);
        Volatile.Write(ref connection.IdleSince, Stopwatch.GetTimestamp());
        var replies = await job.Replies.WaitAsync(timer.Token);
        Volatile.Write(ref connection.IdleSince, 0);
        if (!timer.TryReset()) return false;
        foreach (var part in replies)
        {
            if (part.Length > ushort.MaxValue) return false;
            BinaryPrimitives.WriteUInt16BigEndian(reply, (ushort)part.Length);
            part.CopyTo(reply, 2);
            if (!await SendAsync(connection, reply.AsMemory(0, 2 + part.Length))) return false;
        }
        return true;
    }

    /// <summary>The longest a connection waits for the exchange's workers: an UPDATE waits up to 10 s for its publish, and the queue may hold others first.</summary>
    private static readonly TimeSpan ExchangeWait = TimeSpan.FromSeconds(30);

    /// <summary>Fills <paramref name="buffer"/>; false when the peer closed, or the timeout passed first.</summary>
    private static async Task<bool> ReadAsync(TcpConnection connection, Memory<byte> buffer, TimeSpan timeout)
    {
        var timer = connection.Timer;
        timer.CancelAfter(timeout);
        while (buffer.Length > 0)
        {
            var read = await connection.Socket.ReceiveAsync(buffer, SocketFlags.None, timer.Token);
            if (read == 0) return false;
            buffer = buffer[read..];
        }
        return timer.TryReset();
    }

    /// <summary>Sends the reply; false when the client did not take it within the send timeout.</summary>
    private async Task<bool> SendAsync(TcpConnection connection, ReadOnlyMemory<byte> message)
    {
        var timer = connection.Timer;
        timer.CancelAfter(_options.TcpSendTimeout);
        await connection.Socket.SendAsync(message, SocketFlags.None, timer.Token);
        return timer.TryReset();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
    }

    [LoggerMessage(LogLevel.Error, "TCP connection on {Endpoint} failed ({Held} more since the last line)")]
    private static partial void LogConnectionFailed(ILogger log, Exception exception, IPEndPoint endpoint, long held);

    [LoggerMessage(LogLevel.Error, "TCP on {Endpoint}: setting up a connection failed ({Held} more since the last line); it was closed, the accept loop goes on")]
    private static partial void LogSetupFailed(ILogger log, Exception exception, IPEndPoint endpoint, long held);

    [LoggerMessage(LogLevel.Error, "TCP on {Endpoint}: the accept loop ended ({Held} more since the last line); restarting it in a second")]
    private static partial void LogLoopEnded(ILogger log, Exception exception, IPEndPoint endpoint, long held);
}
