using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace GeoDns.Health;

/// <summary>
/// An idle TCP connection held open to an edge between probes: when the edge's process dies, its kernel
/// closes the connection (FIN, or RST) at once, so a killed nginx is seen in milliseconds instead of at
/// the next probe, up to an interval later. Only a sign: the caller probes at once and the probe's result
/// counts, with the usual confirmation. A black-holed or powered-off edge sends nothing and is left to the
/// probes. An edge that closes idle connections sooner than <see cref="MinimumHold"/> (a listener that
/// accepts and hangs up) gives no sign that way: it is held again only after <see cref="Backoff"/>.
/// nginx closes a connection that sends no request after its client_header_timeout (60 s): one extra
/// probe a minute.
/// </summary>
internal static partial class HeldConnection
{
    public static readonly TimeSpan MinimumHold = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Backoff = TimeSpan.FromSeconds(60);

    /// <summary>Returns when a connection held for at least <see cref="MinimumHold"/> is closed by the edge; throws only on <paramref name="ct"/>.</summary>
    public static async Task WatchAsync(ProbeTarget target, TimeProvider time, CancellationToken ct)
    {
        var buffer = new byte[1];
        while (true)
        {
            var wait = target.Settings.Interval;
            using (var socket = new Socket(target.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp))
            {
                long? held = null;
                try
                {
                    if (await TcpHandshake.ConnectAsync(socket, new IPEndPoint(target.Address, target.Settings.Port), target.Settings.Timeout, time, ct))
                    {
                        held = time.GetTimestamp();
                        await socket.ReceiveAsync(buffer, SocketFlags.None, ct); // 0 bytes: closed; anything else: it talks first, so hang up too
                    }
                }
                catch (SocketException) when (held is null)
                {
                    // Not reachable now: the probes say what that means; try to hold it again after an interval.
                }
                catch (SocketException)
                {
                    // Reset while held: the process (or its machine's kernel) is gone, as a close says too.
                }
                if (held is { } since)
                {
                    if (time.GetElapsedTime(since) >= MinimumHold) return;
                    wait = Backoff;
                }
            }
            await Task.Delay(wait, time, ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Target} closed the connection held to it: probing it now")]
    public static partial void LogClosed(ILogger log, ProbeTarget target);
}
