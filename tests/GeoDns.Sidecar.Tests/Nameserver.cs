using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using GeoDns.Server;
using GeoDns.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// A real GeoDns server in this process, on free loopback ports for DNS and its admin API, with
/// one pool, app.example.com, over the given edges (as TestServer in the integration tests starts it),
/// whose emergency answer is <see cref="EmergencyCname"/>.
/// </summary>
public sealed class Nameserver : IAsyncDisposable
{
    public const string AdminToken = "sidecar-test-admin-token";

    /// <summary>What the pool answers while its emergency switch is on (with its degraded TTL, 1 s: its ttl).</summary>
    public const string EmergencyCname = "app.example.com. 1 IN CNAME maintenance.example.net.";

    private const string Zone = """
        $ORIGIN example.com.
        $TTL 300
        @    IN SOA ns1 hostmaster 1 3600 600 1209600 60
             IN NS  ns1
        ns1  IN A   127.0.0.1
        """;

    private readonly IHost _host;
    private readonly Scratch _scratch;

    private Nameserver(IHost host, Scratch scratch)
    {
        (_host, _scratch) = (host, scratch);
        Endpoint = Service.Endpoints[0];
        AdminUri = GeoDnsHost.AdminUri(host) ?? throw new InvalidOperationException("the admin endpoint did not start");
    }

    public IPEndPoint Endpoint { get; }
    public Uri AdminUri { get; }
    public DnsService Service => _host.Services.GetRequiredService<DnsService>();

    /// <summary>Starts a server whose pool lists <paramref name="edges"/> (name, IPv4), probed on <paramref name="port"/> every second.</summary>
    public static async Task<Nameserver> StartAsync(int port, params (string Name, string Ipv4)[] edges)
    {
        var scratch = new Scratch();
        Directory.CreateDirectory(scratch["zones"]);
        await File.WriteAllTextAsync(scratch["zones/example.com.zone"], Zone);
        await File.WriteAllTextAsync(scratch["geodns.json"], $$"""
            {
              "pools": [{
                "name": "app.example.com",
                "ttl": 1,
                "emergency": [ "CNAME maintenance.example.net." ],
                "probe": { "port": {{port}}, "interval": "1s", "timeout": "800ms", "reprobeInterval": "200ms" },
                "edges": [{{string.Join(", ", edges.Select(e => $$"""{ "name": "{{e.Name}}", "ipv4": "{{e.Ipv4}}" }"""))}}]
              }]
            }
            """);
        var options = CommandLine.Parse(["--config", scratch["geodns.json"], "--zones", scratch["zones"], "--data", scratch["data"], "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0"], out var error)
            ?? throw new InvalidOperationException(error);
        options.AdminToken = AdminToken;
        options.Transport.UdpSockets = 1;
        var host = GeoDnsHost.Create(options);
        await host.StartAsync();
        return new Nameserver(host, scratch);
    }

    /// <summary>The pool's A records, sorted (without a geo database their order changes per query).</summary>
    public string[] Addresses() => Ask().AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The answer to an A query for the pool, as zone-file lines.</summary>
    public string[] Answer() => Ask().Answer();

    private DnsMessage Ask()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveTimeout = 2000;
        socket.SendTo(TestQuery.Build("app.example.com", 1, ednsPayload: 1232), Endpoint);
        var buffer = new byte[65535];
        return ReplyText.Parse(buffer[..socket.Receive(buffer)]);
    }

    public bool IsDrained(string edge) => Service.Observations.Snapshot.Overrides.TryGetValue(edge, out var o) && o.Drained;

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _scratch.Dispose();
    }
}
