using System.Net.Sockets;

namespace GeoDns.Transport;

/// <summary>Creates listening sockets with the options every transport wants.</summary>
public static class SocketFactory
{
    private const int SolSocket = 1, SoReusePort = 15; // Linux values

    public static Socket Create(AddressFamily family, SocketType type, ProtocolType protocol, bool reusePort)
    {
        var socket = new Socket(family, type, protocol);
        // An IPv6 address serves IPv6 only, so "0.0.0.0:53" and "[::]:53" can both be listed.
        if (family == AddressFamily.InterNetworkV6) socket.DualMode = false;
        if (reusePort && OperatingSystem.IsLinux()) socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
        return socket;
    }
}
