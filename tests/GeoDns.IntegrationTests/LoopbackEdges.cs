using System.Net;
using System.Net.Sockets;

namespace GeoDns.IntegrationTests;

/// <summary>
/// Real TCP listeners standing in for edge VPS: one per loopback address, all on one port, in a
/// 127.x.y.0/24 block of their own so parallel tests never probe each other's edges.
/// </summary>
public sealed class LoopbackEdges : IDisposable
{
    private readonly TcpListener?[] _listeners;
    private readonly BlackHole?[] _holes;

    public LoopbackEdges(int count, bool start = true)
    {
        _listeners = new TcpListener?[count];
        _holes = new BlackHole?[count];
        // The kernel picks a free port on the first address; another test may hold that port on a
        // wildcard or on one of the other addresses, so a clash draws a new block and port.
        for (var attempt = 1; ; attempt++)
        {
            Prefix = $"127.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(1, 250)}.";
            var first = new TcpListener(IPAddress.Parse(Address(0)), 0);
            first.Start();
            Port = ((IPEndPoint)first.LocalEndpoint).Port;
            first.Stop();
            try
            {
                if (start) for (var i = 0; i < count; i++) Start(i);
                return;
            }
            catch (SocketException) when (attempt < 5)
            {
                Dispose();
            }
        }
    }

    public string Prefix { get; private set; } = "";
    public int Port { get; private set; }
    public int Count => _listeners.Length;

    public string Address(int edge) => Prefix + (11 + edge);

    public void Start(int edge)
    {
        _holes[edge]?.Dispose();
        _holes[edge] = null;
        var listener = new TcpListener(IPAddress.Parse(Address(edge)), Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listeners[edge] = listener;
        _ = AcceptAsync(listener);
    }

    /// <summary>Stops accepting: probes now get "connection refused", as from a dead nginx.</summary>
    public void Stop(int edge)
    {
        _listeners[edge]?.Stop();
        _listeners[edge] = null;
        _holes[edge]?.Dispose();
        _holes[edge] = null;
    }

    /// <summary>Listens but answers nothing: probes' SYNs are dropped, as by a flooded or vanished VPS.</summary>
    public void BlackHole(int edge)
    {
        Stop(edge);
        _holes[edge] = new BlackHole(new IPEndPoint(IPAddress.Parse(Address(edge)), Port));
    }

    private static async Task AcceptAsync(TcpListener listener)
    {
        try
        {
            while (true) (await listener.AcceptTcpClientAsync()).Dispose();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // stopped
        }
    }

    /// <summary>A pool config over these edges (the first <paramref name="configured"/>, or all) with fast probes, so tests see transitions in about a second.</summary>
    public string Config(string allDown = "all", string fallback = "", int? configured = null) => $$"""
        {
          "pools": [{
            "name": "app.example.com",
            "ttl": 30,
            "allDown": "{{allDown}}",
            "fallback": [{{fallback}}],
            "probe": { "port": {{Port}}, "interval": "1s", "timeout": "500ms", "reprobeInterval": "200ms" },
            "edges": [{{string.Join(", ", Enumerable.Range(0, configured ?? Count).Select(i => $$"""{ "name": "edge-{{i + 1}}", "ipv4": "{{Address(i)}}" }"""))}}]
          }]
        }
        """;

    public void Dispose()
    {
        for (var i = 0; i < Count; i++) Stop(i);
    }
}
