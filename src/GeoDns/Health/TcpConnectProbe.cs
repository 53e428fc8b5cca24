using System.Net;
using System.Net.Sockets;

namespace GeoDns.Health;

/// <summary>
/// Healthy means the TCP handshake completes within the timeout (as the socket itself says when the
/// timer fires: <see cref="TcpHandshake"/>). The connection is closed at once:
/// the edge's nginx sees a connection without a request, which it does not log.
/// </summary>
public sealed class TcpConnectProbe(TimeProvider time) : IProbe
{
    public async Task<ProbeResult> ProbeAsync(ProbeTarget target, TimeSpan connectTimeout, CancellationToken ct)
    {
        // The handshake is the whole probe here.
        var timeout = connectTimeout < target.Settings.Timeout ? connectTimeout : target.Settings.Timeout;
        var started = time.GetTimestamp();
        using var socket = new Socket(target.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // The timeout runs on the injected clock, so tests can make a probe time out without waiting.
            return await TcpHandshake.ConnectAsync(socket, new IPEndPoint(target.Address, target.Settings.Port), timeout, time, ct)
                ? new ProbeResult(true, time.GetElapsedTime(started), time.GetUtcNow())
                : Failure(ProbeErrors.Timeout(timeout), noReply: true);
        }
        catch (SocketException e)
        {
            return Failure(ProbeErrors.Describe(e), ProbeErrors.IsNoReply(e));
        }

        ProbeResult Failure(string error, bool noReply) => new(false, time.GetElapsedTime(started), time.GetUtcNow(), error, NoReply: noReply);
    }

    public Task<HoldEnd> HoldAsync(ProbeTarget target, CancellationToken ct) => HeldConnection.HoldAsync(target, time, ct);
}
