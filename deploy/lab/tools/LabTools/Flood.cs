using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GeoDns.Lab;

/// <summary>
/// A volumetric attack in miniature: 1400-byte UDP datagrams at ADDRESS:443 at RATE packets a
/// second for SECONDS (bounded both ways). The edge's firewall drops them, but they fill its uplink
/// (which run.sh makes small with tc), as a flood fills a cheap VPS's.
/// </summary>
public static class Flood
{
    public static int Run(string address, int packetsPerSecond, int seconds)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var target = new IPEndPoint(IPAddress.Parse(address), 443);
        var payload = new byte[1400];
        var clock = Stopwatch.StartNew();
        long sent = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            // In bursts of 50, each burst on its due time: the rate holds however slow a send is.
            for (var i = 0; i < 50; i++, sent++) socket.SendTo(payload, target);
            var due = TimeSpan.FromSeconds((double)sent / packetsPerSecond);
            if (due > clock.Elapsed) Thread.Sleep(due - clock.Elapsed);
        }
        Console.WriteLine($"sent {sent} packets in {clock.Elapsed.TotalSeconds:F1} s");
        return 0;
    }
}
