using System.Net;
using System.Net.Sockets;

namespace GeoDns.Health;

/// <summary>
/// A TCP handshake with a timeout that this process's own slowness cannot fail. When the timer fires, the
/// socket itself is asked whether the handshake completed meanwhile: a prober that had no CPU for a while
/// (a loaded machine, a GC pause, a starved thread pool) sees its timer and the connect's completion
/// together, in either order, and must not blame the edge for its own stall. Measured under a CPU quota of
/// 15 % with 850 ms stalls: healthy loopback edges failed their first 500 ms probe and all 8 confirming
/// ones at once (HealthyEdgeTests' start-up blip), which this check ends. A black-holed edge is not
/// connected when asked, so it still fails on its own timeout.
/// </summary>
internal static class TcpHandshake
{
    /// <summary>True once connected; false when the handshake has not completed by the time the timeout is noticed. Throws <see cref="SocketException"/> when refused, and on <paramref name="ct"/>.</summary>
    public static async Task<bool> ConnectAsync(Socket socket, IPEndPoint endpoint, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var connect = socket.ConnectAsync(endpoint, stop.Token).AsTask();
        var deadline = Task.Delay(timeout, time, stop.Token);
        if (await Task.WhenAny(connect, deadline) == deadline && !ct.IsCancellationRequested && !Connected(socket))
        {
            stop.Cancel();
            try
            {
                await connect;
                return true; // completed in the same instant
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return false;
            }
        }
        await connect; // done, or about to be (the kernel has the handshake); throws if refused or cancelled by the caller
        stop.Cancel(); // drops the deadline's timer
        return true;
    }

    /// <summary>poll(2): writable and no error pending means the handshake completed (a refused one is writable with POLLERR).</summary>
    private static bool Connected(Socket socket) =>
        socket.Poll(0, SelectMode.SelectWrite) && !socket.Poll(0, SelectMode.SelectError);
}
