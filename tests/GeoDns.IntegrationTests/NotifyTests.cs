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
        Assert.Equal(2, server.Service.Exchange!.Settings.NotifyAttempts);
    }

    /// <summary>
    /// A secondary asks the primary over TCP as soon as a NOTIFY comes (and, refused, waits out the SOA retry): the first
    /// NOTIFY of a starting server must come once its listeners answer, not with the first version it composes, which is
    /// before the first probe round (here held up by a probe that waits out its timeout).
    /// </summary>
    [Fact]
    public async Task FirstNotify_ComesOnceTheListenersAnswer()
    {
        using var secondary = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        secondary.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var silent = new TcpListener(IPAddress.Loopback, 0); // accepts, never speaks TLS: the probe waits out its timeout
        silent.Start();
        try
        {
            var free = new TcpListener(IPAddress.Loopback, 0);
            free.Start();
            var port = ((IPEndPoint)free.LocalEndpoint).Port;
            free.Stop();
            var config = $$"""
                { "exchange": { "transfers": [{ "zone": "example.com", "allowFrom": ["127.0.0.1"], "notify": ["127.0.0.1:{{((IPEndPoint)secondary.LocalEndPoint!).Port}}"] }] },
                  "pools": [{ "name": "app.example.com",
                              "probe": { "type": "https", "port": {{((IPEndPoint)silent.LocalEndpoint).Port}}, "host": "app.example.com", "interval": "1s", "timeout": "900ms" },
                              "edges": [{ "name": "edge-1", "ipv4": "127.0.0.1" }] }] }
                """;
            var starting = TestServer.StartAsync(config: config, listen: $"127.0.0.1:{port}");
            var buffer = new byte[512];
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
                while (true)
                {
                    var received = await secondary.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
                    if (received.ReceivedBytes >= 12 && ((buffer[2] >> 3) & 0xF) == 4) break;
                }
            bool answers;
            using (var tcp = new TcpClient())
            {
                try
                {
                    await tcp.ConnectAsync(IPAddress.Loopback, port);
                    answers = true;
                }
                catch (SocketException)
                {
                    answers = false;
                }
            }
            await using var server = await starting;

            Assert.True(answers, "the NOTIFY came before the server listened for the transfer it asks for");
        }
        finally
        {
            silent.Stop();
        }
    }

    /// <summary>An acknowledgement of <paramref name="notify"/>, signed with <paramref name="key"/> as a secondary holding it would.</summary>
    private static byte[] Ack(byte[] notify, GeoDns.Tsig.TsigKey? key)
    {
        var read = GeoDns.Protocol.MessageReader.Read(notify)!;
        var reply = GeoDns.Tsig.TsigSigner.WithoutTsig(notify, read.Additionals[^1]);
        reply[2] |= 0x80;
        if (key is null) return reply;
        var check = GeoDns.Tsig.TsigSigner.Verify(notify, read, new GeoDns.Tsig.TsigKeyRing([key]), DateTimeOffset.UtcNow);
        return GeoDns.Tsig.TsigSigner.Sign(reply, check, DateTimeOffset.UtcNow).Message;
    }

    [Fact]
    public async Task AckFromAnotherPortOrUnsigned_Ignored_RetriesGoOn_UntilTheSignedAnswer()
    {
        using var tree = new TempTree("geodns-notify-");
        TsigKeyText.Write(Path.Combine(tree.Path, "xfr.key"), "xfr");
        var key = Assert.Single(GeoDns.Tsig.TsigKeyFile.Load(Path.Combine(tree.Path, "xfr.key"), []));
        using var secondary = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var impostor = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        secondary.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        impostor.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var config = $$"""
            { "exchange": { "keyFiles": ["xfr.key"],
                            "transfers": [{ "zone": "example.com", "allowFrom": ["127.0.0.1"], "keys": ["xfr"], "notify": ["127.0.0.1:{{((IPEndPoint)secondary.LocalEndPoint!).Port}}"] }],
                            "notifyAttempts": 3 } }
            """;
        await using var server = await TestServer.StartAsync(config: config, directory: tree.Path);
        var buffer = new byte[1024];
        async Task<(byte[], EndPoint)?> Next(TimeSpan within)
        {
            using var timeout = new CancellationTokenSource(within);
            try
            {
                var received = await secondary.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
                return (buffer[..received.ReceivedBytes], received.RemoteEndPoint);
            }
            catch (OperationCanceledException) { return null; }
        }

        var (first, notifier) = (await Next(TimeSpan.FromSeconds(10)))!.Value;
        // A signed answer from a port we never notified; an unsigned one from the secondary's: neither ends the retries.
        impostor.SendTo(Ack(first, key), notifier);
        secondary.SendTo(Ack(first, null), notifier);
        var (second, _) = (await Next(TimeSpan.FromSeconds(5)))!.Value;
        secondary.SendTo(Ack(second, key), notifier);

        Assert.Null(await Next(TimeSpan.FromSeconds(3))); // the third would come 2 s after the second
    }
}
