using System.Net;
using System.Net.Sockets;
using GeoDns.Health;
using GeoDns.Testing;
using Microsoft.Extensions.Time.Testing;

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
    public async Task TimerSeenBeforeTheHandshake_ButTheHandshakeCompleted_Succeeds()
    {
        // A prober that had no CPU for a while sees its timer and the connect's completion together: the edge
        // answered, and the socket says so when the timer fires. (Here the clock is fake and jumps at once.)
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
            var probing = new TcpConnectProbe(time).ProbeAsync(Target(((IPEndPoint)listener.LocalEndpoint).Port), TimeSpan.FromMilliseconds(300), CancellationToken.None);
            await Eventually.True(listener.Pending, "the kernel completes the handshake");
            time.Advance(TimeSpan.FromSeconds(1));

            var result = await probing.WaitAsync(Eventually.Bound);

            Assert.True(result.Success, result.Error);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task BlackHoled_NotConnectedWhenTheTimerFires_TimesOut_NoReply()
    {
        using var blackHoled = new BlackHoledPort();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);

        var probing = new TcpConnectProbe(time).ProbeAsync(Target(blackHoled.Port), TimeSpan.FromMilliseconds(300), CancellationToken.None);
        // 100 ms steps: the timer starts a moment after the call.
        await Eventually.True(() => { time.Advance(TimeSpan.FromMilliseconds(100)); return probing.IsCompleted; }, "the probe gives up");
        var result = await probing;

        Assert.Equal((false, "timeout after 300 ms", true), (result.Success, result.Error, result.NoReply));
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
