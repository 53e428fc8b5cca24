using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace GeoDns.Health;

/// <summary>How a held connection (<see cref="HeldConnection"/>) ended.</summary>
public enum HoldEnd
{
    /// <summary>The edge closed or reset it after holding it a while: its process may be gone, probe it now.</summary>
    Closed,
    /// <summary>No connection: the edge did not accept one (the probes say what that means).</summary>
    NotHeld,
    /// <summary>The edge hung up at once: it closes idle connections, so a close from it means nothing.</summary>
    HungUp,
}

/// <summary>
/// An idle TCP connection held open to an edge between probes: when the edge's process dies, its kernel
/// closes the connection (FIN, or RST) at once, so a killed nginx is seen in milliseconds instead of at
/// the next probe, up to an interval later. Only a sign: the caller probes at once and the probe's result
/// counts, with the usual confirmation. A black-holed or powered-off edge sends nothing and is left to the
/// probes. nginx closes a connection that sends no request after its client_header_timeout (60 s): one
/// extra probe a minute.
/// </summary>
internal static partial class HeldConnection
{
    /// <summary>A connection closed sooner than this after it was opened is a hang-up (<see cref="HoldEnd.HungUp"/>), not a sign.</summary>
    public static readonly TimeSpan MinimumHold = TimeSpan.FromSeconds(1);

    /// <summary>How long an edge that hangs up at once is left alone before it is held again.</summary>
    public static readonly TimeSpan HungUpBackoff = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Holds a connection to a target between probes (<paramref name="hold"/>, one at a time) until it is removed: probes at
    /// once when the edge closes it; after no connection, or a close the edge survived (nginx's idle timeout, a reload),
    /// holds again at the next probe it answers, so an edge that keeps closing costs at most one extra probe an interval;
    /// after a hang-up, <see cref="HungUpBackoff"/> later.
    /// </summary>
    public static async Task KeepAsync(MonitoredTarget monitored, Func<ProbeTarget, CancellationToken, Task<HoldEnd>> hold,
        Func<MonitoredTarget, CancellationToken, Task<ProbeResult?>> probe, TimeProvider time, ILogger log)
    {
        var ct = monitored.Stopping.Token;
        try
        {
            while (true)
            {
                var answered = monitored.NextAnswer; // taken before trying, so an answer meanwhile is not missed
                var end = await hold(monitored.Target, ct);
                if (end == HoldEnd.HungUp) await Task.Delay(HungUpBackoff, time, ct);
                else if (end == HoldEnd.NotHeld) await answered.WaitAsync(ct);
                else
                {
                    LogClosed(log, monitored.Target);
                    if (await probe(monitored, ct) is { Success: true }) await monitored.NextAnswer.WaitAsync(ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Removed or disposed.
        }
    }

    /// <summary>Opens one connection and returns when it ends; throws only on <paramref name="ct"/>.</summary>
    public static async Task<HoldEnd> HoldAsync(ProbeTarget target, TimeProvider time, CancellationToken ct)
    {
        using var socket = new Socket(target.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (!await TcpHandshake.ConnectAsync(socket, new IPEndPoint(target.Address, target.Settings.Port), target.Settings.Timeout, time, ct))
                return HoldEnd.NotHeld;
        }
        catch (SocketException)
        {
            return HoldEnd.NotHeld;
        }
        var held = time.GetTimestamp();
        try
        {
            await socket.ReceiveAsync(new byte[1], SocketFlags.None, ct); // 0 bytes: closed; anything else: it talks first, so hang up too
        }
        catch (SocketException)
        {
            // Reset: the process (or its machine's kernel) is gone, as a close says too.
        }
        return time.GetElapsedTime(held) >= MinimumHold ? HoldEnd.Closed : HoldEnd.HungUp;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Target} closed the connection held to it: probing it now")]
    private static partial void LogClosed(ILogger log, ProbeTarget target);
}
