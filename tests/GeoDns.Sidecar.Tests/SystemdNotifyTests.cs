using System.Net.Sockets;
using System.Text;
using GeoDns.Sidecar.Daemon;

namespace GeoDns.Sidecar.Tests;

public sealed class SystemdNotifyTests
{
    [Fact]
    public void Ready_UnderSystemd_SendsReadyToTheNotifySocket()
    {
        var path = Path.Combine(Path.GetTempPath(), $"geodns-notify-{Guid.NewGuid():N}.sock");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint(path));
        systemd.ReceiveTimeout = 2000;
        Environment.SetEnvironmentVariable("NOTIFY_SOCKET", path);
        try
        {
            SystemdNotify.Ready();

            var buffer = new byte[64];
            Assert.Equal("READY=1", Encoding.ASCII.GetString(buffer, 0, systemd.Receive(buffer)));
        }
        finally
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", null);
            File.Delete(path);
        }
    }
}
