using System.Net;
using System.Net.Sockets;
using GeoDns.Server;
using Microsoft.Extensions.Hosting;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The server the top-level README starts first (<c>dotnet run --project src/GeoDns.Server</c>): the
/// repository's zones on 127.0.0.1:5353, its admin endpoint on 127.0.0.1:8053, here in this process,
/// so that a demo can be tried beside it. Null when something else holds those ports.
/// </summary>
public sealed class ReadmeServer : IAsyncDisposable
{
    public const int DnsPort = 5353;
    public const int AdminPort = 8053;

    private readonly IHost _host;
    private readonly Scratch _scratch;

    private ReadmeServer(IHost host, Scratch scratch) => (_host, _scratch) = (host, scratch);

    /// <summary>Whether 127.0.0.1:5353 (UDP and TCP) and :8053 (TCP) are free: a test that needs them skips otherwise.</summary>
    public static bool PortsFree() => Free(SocketType.Dgram, ProtocolType.Udp, DnsPort) && Free(SocketType.Stream, ProtocolType.Tcp, DnsPort) && Free(SocketType.Stream, ProtocolType.Tcp, AdminPort);

    public static async Task<ReadmeServer> StartAsync()
    {
        var scratch = new Scratch();
        var options = CommandLine.Parse(["--zones", Repository.File("zones"), "--data", scratch["data"], "--listen", $"127.0.0.1:{DnsPort}", "--admin", $"127.0.0.1:{AdminPort}"], out var error)
            ?? throw new InvalidOperationException(error);
        var host = GeoDnsHost.Create(options);
        await host.StartAsync();
        return new ReadmeServer(host, scratch);
    }

    private static bool Free(SocketType type, ProtocolType protocol, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _scratch.Dispose();
    }
}
