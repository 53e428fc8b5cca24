using System.Net;
using System.Net.Sockets;

namespace GeoDns.Tests.Health;

/// <summary>A loopback port that drops every SYN: backlog 0, filled by one connection never accepted (Linux then drops further SYNs).</summary>
public sealed class BlackHoledPort : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Socket _filler = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public BlackHoledPort()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(0);
        _filler.Connect(_listener.LocalEndPoint!);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public void Dispose()
    {
        _filler.Dispose();
        _listener.Dispose();
    }
}
