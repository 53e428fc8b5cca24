using System.Net;
using System.Net.Sockets;
using GeoDns.Answering;
using GeoDns.Testing;
using GeoDns.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoDns.IntegrationTests;

public sealed class TcpLimitTests
{
    [Fact]
    public void ConnectionsBeyondTheCap_ClosedAtOnce_OthersServed()
    {
        var options = new TransportOptions { UdpSockets = 1, MaxTcpConnections = 2, TcpIdleTimeout = TimeSpan.FromSeconds(10) };
        using var listener = new DnsListener(new IPEndPoint(IPAddress.Loopback, 0), new Responder(), options, NullLogger.Instance);
        var clients = Enumerable.Range(0, 3).Select(_ =>
        {
            var client = new TcpClient();
            client.Connect(listener.LocalEndPoint);
            client.ReceiveTimeout = 5000;
            return client;
        }).ToList();

        try
        {
            // The empty table refuses every name, but a refusal is an answer: the first two are served.
            for (var i = 0; i < 2; i++)
            {
                TestServer.SendFramed(clients[i].GetStream(), TestQuery.Build("example.com", 1));
                Assert.NotNull(TestServer.ReadFramed(clients[i].GetStream()));
            }
            var third = clients[2].GetStream();
            try { TestServer.SendFramed(third, TestQuery.Build("example.com", 1)); } catch (IOException) { }
            Assert.Null(ReadOrNull(third));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private static byte[]? ReadOrNull(NetworkStream stream)
    {
        try { return TestServer.ReadFramed(stream); }
        catch (IOException) { return null; } // reset by the server
    }
}
