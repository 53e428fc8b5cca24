using System.Net;
using System.Net.Sockets;
using GeoDns.Health;

namespace GeoDns.Tests.Health;

public sealed class TcpConnectProbeTests
{
    private readonly TcpConnectProbe _probe = new(TimeProvider.System);

    [Fact]
    public async Task Listening_HandshakeCompletes_Succeeds()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var result = await _probe.ProbeAsync(Target(((IPEndPoint)listener.LocalEndpoint).Port), TimeSpan.FromSeconds(2), CancellationToken.None);

            Assert.True(result.Success, result.Error);
            Assert.Null(result.Error);
            Assert.True(result.Latency > TimeSpan.Zero);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task ClosedPort_Fails_ConnectionRefused()
    {
        var result = await _probe.ProbeAsync(Target(ClosedPort()), TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.False(result.Success);
        Assert.Equal("connection refused", result.Error);
    }

    [Fact]
    public async Task CallerCancels_Throws()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _probe.ProbeAsync(Target(ClosedPort()), TimeSpan.FromSeconds(2), new CancellationToken(canceled: true)));
    }

    private static ProbeTarget Target(int port) => new(IPAddress.Loopback, new ProbeSettings { Type = "tcp", Port = port });

    /// <summary>A port that was just free: bound, then released.</summary>
    internal static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
