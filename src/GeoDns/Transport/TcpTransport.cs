using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GeoDns.Answering;
using Microsoft.Extensions.Logging;

namespace GeoDns.Transport;

/// <summary>
/// DNS over TCP on one address (RFC 7766): 2-byte length framing, several queries per connection
/// answered in order, an idle timeout, and a cap on open connections.
/// </summary>
public sealed class TcpTransport : IDisposable
{
    private readonly Socket _listener;
    private readonly Responder _responder;
    private readonly TransportOptions _options;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private int _open;

    public TcpTransport(IPEndPoint endpoint, Responder responder, TransportOptions options, ILogger log)
    {
        _responder = responder;
        _options = options;
        _log = log;
        _listener = SocketFactory.Create(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp, reusePort: false);
        _listener.Bind(endpoint);
        _listener.Listen(512);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _ = AcceptAsync();
    }

    public IPEndPoint LocalEndPoint { get; }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { continue; }
            if (Interlocked.Increment(ref _open) > _options.MaxTcpConnections)
            {
                Interlocked.Decrement(ref _open);
                client.Dispose();
                continue;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var query = new byte[65535];
        var reply = new byte[2 + 65535];
        var peer = (client.RemoteEndPoint as IPEndPoint)?.Address.GetAddressBytes() ?? [];
        try
        {
            using (client)
                while (true)
                {
                    if (!await ReadAsync(client, query.AsMemory(0, 2))) return;
                    var length = BinaryPrimitives.ReadUInt16BigEndian(query);
                    if (length == 0 || !await ReadAsync(client, query.AsMemory(0, length))) return;
                    var started = Stopwatch.GetTimestamp();
                    var written = _responder.Respond(query.AsSpan(0, length), reply.AsSpan(2), tcp: true, peer);
                    if (written == 0) continue;
                    if (written == Responder.Diverted) // issue 14 hook: transfers, NOTIFY, UPDATE, TSIG
                    {
                        foreach (var message in _responder.Exchange!.Exchange(query[..length], new IPAddress(peer), tcp: true))
                        {
                            BinaryPrimitives.WriteUInt16BigEndian(reply, (ushort)message.Length);
                            message.CopyTo(reply, 2);
                            await client.SendAsync(reply.AsMemory(0, 2 + message.Length), _stop.Token);
                        }
                        continue;
                    }
                    BinaryPrimitives.WriteUInt16BigEndian(reply, (ushort)written);
                    await client.SendAsync(reply.AsMemory(0, 2 + written), _stop.Token);
                    _responder.Metrics.ObserveResponse(tcp: true, Stopwatch.GetTimestamp() - started);
                }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer left, went idle too long, or we are stopping.
        }
        catch (Exception e)
        {
            _log.LogError(e, "TCP connection on {Endpoint} failed", LocalEndPoint);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    /// <summary>Fills <paramref name="buffer"/>; false when the peer closed or stayed idle past the timeout.</summary>
    private async Task<bool> ReadAsync(Socket client, Memory<byte> buffer)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        idle.CancelAfter(_options.TcpIdleTimeout);
        while (buffer.Length > 0)
        {
            var read = await client.ReceiveAsync(buffer, SocketFlags.None, idle.Token);
            if (read == 0) return false;
            buffer = buffer[read..];
        }
        return true;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
    }
}
