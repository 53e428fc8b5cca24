using System.Net.Sockets;
using System.Text;

namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// Tells systemd the daemon is ready (sd_notify "READY=1" on $NOTIFY_SOCKET), so a Type=notify
/// unit starts its dependents only once the endpoint listens. Outside systemd it does nothing.
/// </summary>
public static class SystemdNotify
{
    public static void Ready()
    {
        var path = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(path)) return;
        // A leading '@' names a socket in the abstract namespace, written with a NUL first.
        if (path[0] == '@') path = "\0" + path[1..];
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            socket.Send(Encoding.ASCII.GetBytes("READY=1"));
        }
        catch (SocketException)
        {
            // systemd went away or the socket is not ours to use: the service runs on regardless.
        }
    }
}
