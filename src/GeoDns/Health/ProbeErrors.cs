using System.Net.Sockets;

namespace GeoDns.Health;

/// <summary>The wording of probe failures, shared by the probes so logs read the same whatever the probe type.</summary>
internal static class ProbeErrors
{
    public static string Timeout(TimeSpan timeout) => $"timeout after {(long)timeout.TotalMilliseconds} ms";

    public static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.ConnectionReset => "connection reset",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.NetworkDown => "network down",
        SocketError.TimedOut => "connect timed out",
        SocketError.AddressNotAvailable => "address not available",
        _ => $"connect failed: {e.SocketErrorCode}",
    };

    /// <summary>Errors that mean nothing came back from the edge: the path, not the edge, may be at fault.</summary>
    public static bool IsNoReply(SocketException e) =>
        e.SocketErrorCode is SocketError.TimedOut or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.NetworkDown;

    /// <summary>The innermost socket error under <paramref name="e"/>, if the failure came from the network.</summary>
    public static SocketException? FindSocketError(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is SocketException socket) return socket;
        return null;
    }
}
