using System.Net;
using System.Net.Sockets;

namespace GeoDns.Sidecar.Commands;

/// <summary>
/// <c>local-edge ADDR:PORT</c>: accepts TCP connections and closes them, which is all a GeoDns TCP
/// probe asks of an edge. The local provider starts one per "VPS"; it ends on SIGTERM or after --for.
/// </summary>
public static class LocalEdgeCommand
{
    public static async Task<int> RunAsync(string endpoint, TimeSpan lifetime, CancellationToken cancel)
    {
        if (!IPEndPoint.TryParse(endpoint, out var address) || !IPAddress.IsLoopback(address.Address) || address.Port == 0)
        {
            Console.Error.WriteLine($"geodns-sidecar: local-edge: '{endpoint}' is not a loopback ADDR:PORT");
            return 2;
        }
        using var listener = new TcpListener(address);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        // Bounded: a test run that dies leaves no listener behind for long.
        if (lifetime > TimeSpan.Zero) stop.CancelAfter(lifetime);
        try
        {
            while (true) (await listener.AcceptTcpClientAsync(stop.Token)).Dispose();
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
    }
}
