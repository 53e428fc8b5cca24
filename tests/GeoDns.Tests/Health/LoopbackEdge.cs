using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using GeoDns.Health;

namespace GeoDns.Tests.Health;

/// <summary>
/// A real TCP listener on loopback standing in for an edge: it can go away and come back on the same port, and
/// counts the connections it accepts. It hangs up on each at once, or, with <c>keepOpen</c>, holds them as nginx
/// holds an idle connection until <see cref="Stop"/> closes them all, as the kernel does when the edge's process dies.
/// </summary>
public sealed class LoopbackEdge : IDisposable
{
    private readonly bool _keepOpen;
    private readonly ConcurrentQueue<Socket> _open = new();
    private TcpListener? _listener;
    private int _accepted;

    public LoopbackEdge(bool keepOpen = false)
    {
        _keepOpen = keepOpen;
        Start(0);
    }

    public int Port { get; private set; }

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Connections held open now (with <c>keepOpen</c>) whose client has not closed them.</summary>
    public int Open => _open.Count(s => !(s.Poll(0, SelectMode.SelectRead) && s.Available == 0));

    public ProbeTarget Target(ProbeSettings settings) => new(IPAddress.Loopback, settings with { Type = "tcp", Port = Port });

    public void Stop()
    {
        _listener?.Stop();
        _listener = null;
        while (_open.TryDequeue(out var socket)) socket.Dispose();
    }

    public void Restart() => Start(Port);

    public void Dispose() => Stop();

    private void Start(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        // Connections from the last life of this port may linger in TIME_WAIT; they must not block the restart.
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _ = AcceptAsync(listener);
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        try
        {
            while (true)
            {
                var socket = await listener.AcceptSocketAsync();
                Interlocked.Increment(ref _accepted);
                if (_keepOpen) _open.Enqueue(socket);
                else socket.Dispose();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped: the pending accept fails with whichever of these the race with Stop produces.
        }
    }
}
