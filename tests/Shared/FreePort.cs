using System.Net;
using System.Net.Sockets;

namespace GeoDns.Testing;

/// <summary>A loopback port free for both UDP and TCP right now, for a peer (knotd, pebble) that needs one up front.</summary>
public static class FreePort
{
    public static int Pick(string address = "127.0.0.1")
    {
        for (var attempt = 0; ; attempt++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(new IPEndPoint(IPAddress.Parse(address), port));
                return port;
            }
            catch (SocketException) when (attempt < 20) { }
        }
    }
}
