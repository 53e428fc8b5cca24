using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GeoDns.IntegrationTests;

/// <summary>NOTIFY as the server sends it, to a secondary on loopback that never answers.</summary>
public sealed class NotifyTests
{
    [Fact]
    public async Task SilentSecondary_GetsExactlyNotifyAttemptsMessages()
    {
        using var secondary = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        secondary.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)secondary.LocalEndPoint!).Port;
        var config = $$"""
            { "exchange": { "transfers": [{ "zone": "example.com", "allowFrom": ["127.0.0.1"], "notify": ["127.0.0.1:{{port}}"] }],
                            "notifyAttempts": 2 } }
            """;

        // The first version of the zone is announced at start: attempts 1 s apart, then 2 s, then none.
        await using var server = await TestServer.StartAsync(config: config);
        var clock = Stopwatch.StartNew();
        var notifies = 0;
        var buffer = new byte[512];
        while (clock.Elapsed < TimeSpan.FromSeconds(6))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(6) - clock.Elapsed);
            try
            {
                var received = await secondary.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
                if (received.ReceivedBytes >= 12 && ((buffer[2] >> 3) & 0xF) == 4) notifies++;
            }
            catch (OperationCanceledException) { break; }
        }

        Assert.Equal(2, notifies);
        Assert.Equal(2, server.Service.Observations.Exchange!.Settings.NotifyAttempts);
    }
}
