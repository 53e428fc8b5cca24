using System.Net;
using System.Net.Sockets;

namespace GeoDns.IntegrationTests;

/// <summary>
/// A listener that accepts nothing: backlog 0, filled by one connection of its own that is never
/// accepted. Linux then drops every further SYN (tcp_conn_request: the accept queue is full), so a
/// probe hears nothing until its timeout, exactly as from a black-holed edge, without root or nftables.
/// </summary>
public sealed class BlackHole : IDisposable
{
    private readonly Socket _listener;
    private readonly Socket _filler;

    public BlackHole(IPEndPoint endpoint)
    {
        _listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(endpoint);
        _listener.Listen(0);
        _filler = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _filler.Connect(endpoint);
    }

    public void Dispose()
    {
        _filler.Dispose();
        _listener.Dispose();
    }
}
