using System.Net;
using GeoDns.Answering;
using Microsoft.Extensions.Logging;

namespace GeoDns.Transport;

/// <summary>UDP and TCP on the same address and port.</summary>
public sealed class DnsListener : IDisposable
{
    private readonly UdpTransport _udp;
    private readonly TcpTransport _tcp;

    public DnsListener(IPEndPoint endpoint, Responder responder, TransportOptions options, ILogger log)
    {
        // With port 0 the kernel picks the UDP port; TCP then takes the same number, retrying if it is taken.
        for (var attempt = 0; ; attempt++)
        {
            _udp = new UdpTransport(endpoint, responder, options, log);
            try
            {
                _tcp = new TcpTransport(_udp.LocalEndPoint, responder, options, log);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (endpoint.Port == 0 && attempt < 10)
            {
                _udp.Dispose();
            }
            catch
            {
                _udp.Dispose(); // the TCP half failed: the UDP half must not keep the port
                throw;
            }
        }
    }

    public IPEndPoint LocalEndPoint => _udp.LocalEndPoint;

    public UdpTransport Udp => _udp;

    public TcpTransport Tcp => _tcp;

    /// <summary>Receive and accept loops that ended and wait to be started again, in words; empty while all run.</summary>
    public IReadOnlyList<string> Problems => [.. _udp.Problems, .. _tcp.Problems];

    public void Dispose()
    {
        _udp.Dispose();
        _tcp.Dispose();
    }
}
