using System.Net;
using System.Net.Sockets;
using GeoDns.Sidecar.Check;
using GeoDns.Sidecar.WireGuard;
using GeoDns.Testing;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// A whole deployment on loopback for <c>check</c>: the parent (example.com, delegating edge.example.com with NS and
/// glue) at 127.0.0.3, ns1 at 127.0.0.1 and ns2 at 127.0.0.2 serving edge.example.com and the pool
/// app.edge.example.com, all on one DNS port; two edges as real TLS listeners at 127.0.0.11 (DE) and 127.0.0.12 (US)
/// on one HTTPS port, with certificates from a test CA; the home's peers file and certificate in a scratch directory.
/// No resolver: <c>check.resolvers</c> is empty (the lab covers that line).
/// </summary>
public sealed class CheckFleet : IAsyncDisposable
{
    public const string Pool = "app.edge.example.com";

    private readonly Scratch _scratch = new();
    private readonly List<(string Name, KeyPair Keys)> _peers = [];

    private CheckFleet(int dnsPort, int httpsPort)
    {
        (DnsPort, HttpsPort) = (dnsPort, httpsPort);
        Certificates = new TestCertificates();
    }

    public int DnsPort { get; }
    public int HttpsPort { get; }
    public TestCertificates Certificates { get; }
    public CheckServer Parent { get; private set; } = null!;
    public CheckServer Ns1 { get; private set; } = null!;
    public CheckServer Ns2 { get; private set; } = null!;
    public TlsTestServer Edge1 { get; private set; } = null!;
    public TlsTestServer Edge2 { get; private set; } = null!;

    public static string ParentZone(string ns2Glue = "127.0.0.2") => $"""
        $ORIGIN example.com.
        $TTL 300
        @         IN SOA ns hostmaster 1 3600 600 1209600 60
                  IN NS  ns
        ns        IN A   127.0.0.3
        edge      IN NS  ns1.edge
        edge      IN NS  ns2.edge
        ns1.edge  IN A   127.0.0.1
        ns2.edge  IN A   {ns2Glue}
        """;

    public static string Zone(uint serial = 1) => $"""
        $ORIGIN edge.example.com.
        $TTL 300
        @     IN SOA ns1 hostmaster {serial} 3600 600 1209600 60
              IN NS  ns1
              IN NS  ns2
        ns1   IN A   127.0.0.1
        ns2   IN A   127.0.0.2
        """;

    public static async Task<CheckFleet> StartAsync()
    {
        var fleet = new CheckFleet(FreePort(SocketType.Dgram, ProtocolType.Udp, "127.0.0.1", "127.0.0.2", "127.0.0.3"),
            FreePort(SocketType.Stream, ProtocolType.Tcp, "127.0.0.11", "127.0.0.12"));
        fleet.Edge1 = new TlsTestServer(fleet.Certificates.Issue(Pool, TimeSpan.FromDays(90)), endpoint: new IPEndPoint(IPAddress.Parse("127.0.0.11"), fleet.HttpsPort));
        fleet.Edge2 = new TlsTestServer(fleet.Certificates.Issue(Pool, TimeSpan.FromDays(90)), endpoint: new IPEndPoint(IPAddress.Parse("127.0.0.12"), fleet.HttpsPort));
        var pool = $$"""
            { "name": "{{Pool}}", "ttl": 1, "emergency": [ "CNAME maintenance.example.net." ],
              "probe": { "port": {{fleet.HttpsPort}}, "interval": "1s", "timeout": "800ms", "reprobeInterval": "200ms" },
              "edges": [ { "name": "edge-1", "ipv4": "127.0.0.11", "country": "DE" }, { "name": "edge-2", "ipv4": "127.0.0.12", "country": "US" } ] }
            """;
        fleet.Parent = await CheckServer.StartAsync(fleet.At("127.0.0.3"), "example.com", ParentZone(), pool: null);
        fleet.Ns1 = await CheckServer.StartAsync(fleet.At("127.0.0.1"), "edge.example.com", Zone(), pool);
        fleet.Ns2 = await CheckServer.StartAsync(fleet.At("127.0.0.2"), "edge.example.com", Zone(), pool);

        Directory.CreateDirectory(fleet._scratch["wireguard"]);
        Directory.CreateDirectory(fleet._scratch["cert"]);
        foreach (var name in new[] { "edge-1", "edge-2", "ns1", "ns2" }) fleet._peers.Add((name, KeyPair.GenerateWithNSec()));
        File.WriteAllText(fleet._scratch["wireguard/wg0.peers"], HomeConfig.Render(KeyPair.GenerateWithNSec(),
            fleet._peers.Select((p, i) => new HomePeer(p.Name, p.Keys.PublicKey, $"127.0.0.{20 + i}:51820", $"10.77.0.{10 + i}"))));
        TestCertificates.WritePem(fleet.Certificates.Issue(Pool, TimeSpan.FromDays(60)), fleet._scratch["cert/fullchain.pem"]);

        // Until both edges are Up on both nameservers, the pool's answers are still settling.
        await Eventually.True(async () => (await fleet.CheckAsync()).Where(r => r.Check.StartsWith("admin API", StringComparison.Ordinal)).All(r => r.Detail.Contains("(2 in answers)", StringComparison.Ordinal)),
            "both edges are in answers on ns1 and ns2", TimeSpan.FromSeconds(20), pollMs: 200);
        return fleet;
    }

    /// <summary>The sidecar config a home would have for this deployment; <paramref name="handshakeAge"/> is how old every tunnel's handshake is.</summary>
    public SidecarOptions Options(TimeSpan? handshakeAge = null)
    {
        var handshake = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - (long)(handshakeAge ?? TimeSpan.FromSeconds(5)).TotalSeconds;
        return new SidecarOptions
        {
            Nameservers = [Ns1.AdminUri.ToString(), Ns2.AdminUri.ToString()],
            AdminToken = Nameserver.AdminToken,
            Pool = Pool,
            NameserverTunnels = [new() { Name = "ns1", Endpoint = "127.0.0.1:51820" }, new() { Name = "ns2", Endpoint = "127.0.0.2:51820" }],
            WireguardDir = _scratch["wireguard"],
            TunnelCheck = new() { Command = string.Concat(_peers.Select(p => $"printf '%s\\t%s\\n' '{p.Keys.PublicKey}' {handshake}; ")) },
            Nginx = new() { Domains = [Pool], CertificateDir = _scratch["cert"] },
            Data = _scratch["data"],
            Check = new CheckOptions { Parents = [At("127.0.0.3").ToString()], Resolvers = [], DnsPort = DnsPort, HttpsPort = HttpsPort, Timeout = TimeSpan.FromSeconds(1) },
        };
    }

    public FleetCheck Checker(SidecarOptions? options = null) => new(options ?? Options(), TimeProvider.System) { Roots = Certificates.Roots };

    public Task<IReadOnlyList<CheckResult>> CheckAsync(SidecarOptions? options = null) => Checker(options).RunAsync(CancellationToken.None);

    private IPEndPoint At(string address) => new(IPAddress.Parse(address), DnsPort);

    /// <summary>A port free on every one of <paramref name="addresses"/> (for UDP DNS, TCP too): real deployments share a port across machines.</summary>
    private static int FreePort(SocketType type, ProtocolType protocol, params string[] addresses)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            int port;
            using (var first = new Socket(AddressFamily.InterNetwork, type, protocol))
            {
                first.Bind(new IPEndPoint(IPAddress.Parse(addresses[0]), 0));
                port = ((IPEndPoint)first.LocalEndPoint!).Port;
            }
            if (addresses.All(a => Free(a, port, SocketType.Dgram, ProtocolType.Udp) && Free(a, port, SocketType.Stream, ProtocolType.Tcp))) return port;
        }
        throw new InvalidOperationException("no port free on " + string.Join(", ", addresses));
    }

    private static bool Free(string address, int port, SocketType type, ProtocolType protocol)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Parse(address), port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Parent.DisposeAsync();
        await Ns1.DisposeAsync();
        await Ns2.DisposeAsync();
        await Edge1.DisposeAsync();
        await Edge2.DisposeAsync();
        Certificates.Dispose();
        _scratch.Dispose();
    }
}
