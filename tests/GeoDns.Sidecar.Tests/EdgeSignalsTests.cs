using GeoDns.Sidecar.Nginx;
using GeoDns.Sidecar.Signals;
using GeoDns.Testing;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The edge signals for real: the built-in TLS template rendered as for an edge and run by a real nginx, and
/// deploy/edge/geodns-edge-signals beside it, in network namespaces of the test's own: the edge, a client on the
/// edge's public link (192.0.2.0/24), and the home at the far end of a link standing in for the tunnel (10.77.0.0/24),
/// where a second nginx is the home's web server.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EdgeSignalsTests
{
    private const string Edge = EdgeLab.EdgeAddress;
    private const string EdgeTunnel = EdgeLab.EdgeTunnel;

    [SkippableFact]
    public async Task RealRequests_MoveTheCounters_SignalsOnlyForTheHome()
    {
        SkipWithoutTools();
        using var lab = EdgeLab.Start(NginxMode.Tls, "sg-sig-", new() { ["rate"] = "5r/s", ["burst"] = "2" }); // a low rate, so 429s come soon
        EdgeSignalsSample? first = null;
        await Eventually.True(() => (first = lab.Sample()) is { Nginx: not null }, "the home reads the edge's signals through the tunnel", TimeSpan.FromSeconds(30), 200);
        var track = new EdgeSignalsTrack(TimeSpan.FromMinutes(30));
        track.Add(first!, DateTimeOffset.UtcNow);

        // A user's requests: 3 pass (rate 5r/s, burst 2), the rest are limit_req's 429; then the home is gone: 502.
        var codes = Users(lab, 8);
        Assert.Contains("200", codes);
        Assert.Contains("429", codes);
        Run("ip", "netns", "exec", lab.Home, "kill", File.ReadAllText(lab.Scratch["home.pid"]).Trim());
        await Eventually.True(() => Users(lab, 1) == "502", "the edge answers 502 once the home's web server is gone", TimeSpan.FromSeconds(15), 200);
        // Half-open connections: the client's ACKs never reach the edge, which holds each in SYN-RECV.
        Run("ip", ["netns", "exec", lab.Client, "nft", "-f", "-"], "table inet sg_syn {\n chain out {\n  type filter hook output priority 0;\n  tcp dport 80 tcp flags & ack == ack drop\n }\n}\n");
        for (var i = 0; i < 3; i++) Tools.Run("ip", "netns", "exec", lab.Client, "curl", "-s", "-m", "1", $"http://{Edge}/");

        EdgeSignalsSample? later = null;
        await Eventually.True(() => (later = lab.Sample()) is { Responses: { Rejected: > 0, ServerError: > 0 }, Tcp.SynRecv: > 0 },
            $"the signals count the 429s, the 502 and the SYN-RECV sockets (last: {later})", TimeSpan.FromSeconds(30), 300);
        Assert.Equal(first!.Run, later!.Run);
        Assert.True(later.Responses!.Success >= 3, $"{later.Responses}");
        Assert.True(later.Nginx!.Requests - first.Nginx!.Requests >= 9, $"{first.Nginx} then {later.Nginx}");
        Assert.True(later.Nginx.Accepted > first.Nginx.Accepted, $"{first.Nginx} then {later.Nginx}");
        Assert.Equal("pub0", later.Net!.Interface); // the default route's, not the tunnel's
        Assert.True(later.Net.ReceivedBytes > first.Net!.ReceivedBytes && later.Net.SentPackets > first.Net.SentPackets, $"{first.Net} then {later.Net}");
        Assert.True(track.Add(later, DateTimeOffset.UtcNow));
        var point = track.Latest!;
        Assert.True(point is { RejectedPerSecond: > 0, ServerErrorsPerSecond: > 0, RequestsPerSecond: > 0, ReceivedBitsPerSecond: > 0, SynRecv: > 0 }, $"{point}");

        // The log of statuses is taken whole each interval: it stays small.
        Assert.True(new FileInfo(Path.Combine(lab.Dir, "geodns-signals.status")).Length < 64, "the status log was not taken");

        // Only the home reads them: from the edge's public link nginx refuses.
        EdgeLab.Read(lab.Client, $"http://{Edge}:{SignalsOptions.DefaultPort}/signals.json", out var outside);
        EdgeLab.Read(lab.Client, $"http://{Edge}:{SignalsOptions.DefaultPort}/nginx-status", out var outsideStatus);
        Assert.Equal(("403", "403"), (outside, outsideStatus));

        // Stopped, the script takes its document with it: the home reads "not found", not old figures.
        lab.StopSignals();
        EdgeLab.Read(lab.Home, $"http://{EdgeTunnel}:{SignalsOptions.DefaultPort}/signals.json", out var stopped);
        Assert.Equal("404", stopped);
    }

    /// <summary>Passthrough: TLS ends at home, so the edge reports connections (the stream module's count in stub_status), bytes and packets, and no responses.</summary>
    [SkippableFact]
    public async Task Passthrough_ConnectionsAndBytes_NoResponses()
    {
        SkipWithoutTools();
        Skip.If(!File.Exists("/usr/lib/nginx/modules/ngx_stream_module.so") && Tools.Run("nginx", "-V").Stderr.Contains("--with-stream=dynamic", StringComparison.Ordinal),
            "nginx's stream module is not installed (libnginx-mod-stream)");
        using var lab = EdgeLab.Start(NginxMode.Passthrough, "sg-sig-");
        EdgeSignalsSample? first = null;
        await Eventually.True(() => (first = lab.Sample()) is { Nginx: not null }, "the home reads the edge's signals through the tunnel", TimeSpan.FromSeconds(30), 200);

        for (var i = 0; i < 5; i++) Tools.Run("ip", "netns", "exec", lab.Client, "curl", "-s", "-m", "2", "-o", "/dev/null", $"http://{Edge}/"); // to the home's plain HTTP, through the stream

        EdgeSignalsSample? later = null;
        await Eventually.True(() => (later = lab.Sample()) is { Nginx: { } n } && n.Accepted >= first!.Nginx!.Accepted + 5,
            $"the signals count the connections (last: {later})", TimeSpan.FromSeconds(30), 300);
        Assert.Null(later!.Responses);
        Assert.True(later.Net!.ReceivedBytes > first!.Net!.ReceivedBytes, $"{first.Net} then {later.Net}");
    }

    private static void SkipWithoutTools()
    {
        Skip.If(Environment.UserName != "root", "needs root (network namespaces, nft)");
        Skip.If(Executables.Find("nginx") is null || Executables.Find("curl") is null || Executables.Find("nft") is null || Executables.Find("ss") is null,
            "nginx, curl, nft and ss are needed (.ci/run installs them)");
    }

    /// <summary>Requests from the client to the edge's HTTPS, back to back on one connection; their status codes.</summary>
    private static string Users(EdgeLab lab, int count) => lab.Users(count);

    private static void Run(string program, params string[] args) => EdgeLab.Run(program, args);

    private static void Run(string program, string[] args, string? input) => EdgeLab.Run(program, args, input);
}
