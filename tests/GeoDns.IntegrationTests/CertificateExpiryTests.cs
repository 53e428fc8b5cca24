using System.Net;
using ARSoft.Tools.Net.Dns;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// The server binary probing real HTTPS edges over a private CA it trusts the way the lab's
/// nameservers do (SSL_CERT_FILE): days left in /metrics, a warning below the threshold logged once
/// per crossing (and a line when a renewal lifts it), an expired certificate out of the answers.
/// </summary>
public sealed class CertificateExpiryTests : IAsyncLifetime
{
    private const string Host = "app.example.com";

    private readonly TestCertificates _ca = new();
    private readonly TempDirectory _directory = new();
    private readonly string _prefix = $"127.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(1, 250)}.";
    private readonly List<TlsTestServer> _edges = [];
    private ServerProcess _server = null!;

    private string Address(int edge) => _prefix + (11 + edge);

    private string Target(int edge) => $"https://{Address(edge)}:{_edges[0].Port}";

    public async Task InitializeAsync()
    {
        // edge-1: 3 days left (below the default 14); edge-2: 89 days; edge-3: expired two days ago.
        var certificates = new[]
        {
            _ca.Issue(Host, TimeSpan.FromDays(4.5)),
            _ca.Issue(Host, TimeSpan.FromDays(91)),
            _ca.Issue(Host, TimeSpan.FromDays(10), notBefore: DateTimeOffset.UtcNow.AddDays(-12)),
        };
        _edges.Add(new TlsTestServer(certificates[0], endpoint: new IPEndPoint(IPAddress.Parse(Address(0)), 0)));
        for (var i = 1; i < certificates.Length; i++) _edges.Add(new TlsTestServer(certificates[i], endpoint: new IPEndPoint(IPAddress.Parse(Address(i)), _edges[0].Port)));
        TestCertificates.WritePem(_ca.Authority, _directory["ca.pem"]);
        _directory.Write("zones/example.com.zone", TestServer.ExampleZone);
        _directory.Write("geodns.json", $$"""
            {
              "pools": [{
                "name": "{{Host}}",
                "ttl": 1,
                "answers": 3,
                "probe": { "type": "https", "port": {{_edges[0].Port}}, "path": "/healthz", "host": "{{Host}}", "interval": "1s", "timeout": "900ms", "reprobeInterval": "200ms" },
                "edges": [{{string.Join(", ", Enumerable.Range(0, 3).Select(i => $$"""{ "name": "edge-{{i + 1}}", "ipv4": "{{Address(i)}}" }"""))}}]
              }]
            }
            """);
        _server = await ServerProcess.StartAsync(_directory.Path, new Dictionary<string, string> { ["SSL_CERT_FILE"] = _directory["ca.pem"] });
    }

    [Fact]
    public async Task DaysLeftInMetrics_LowWarnedOncePerCrossing_ExpiredOutOfTheAnswers()
    {
        using var http = _server.NewHttpClient();
        await Eventually.True(() => Successes(http, 0) >= 3 && Successes(http, 1) >= 3, "edge-1 and edge-2 probed three times", TimeSpan.FromSeconds(30), pollMs: 200);

        var days = DaysLeft(http);
        Assert.Equal(3, days["edge-1"]);
        Assert.Equal(89, days["edge-2"]);
        Assert.Equal(-3, days["edge-3"]);
        Assert.Equal([Address(0), Address(1)], PoolAddresses());
        var edges = await http.GetStringAsync("/v1/edges");
        Assert.Contains("certificate: expired at ", edges);
        var low = $"Certificate of {Target(0)} ({Host}) has 3 day(s) left, below probe.certificateWarningDays (14)";
        Assert.Single(_server.Lines, l => l.Contains(low, StringComparison.Ordinal));
        Assert.Single(_server.Lines, l => l.Contains($"Certificate of {Target(2)} ({Host}) has expired", StringComparison.Ordinal));
        Assert.DoesNotContain(_server.Lines, l => l.Contains($"Certificate of {Target(1)}", StringComparison.Ordinal));

        // Renewed on edge-1: one line says so, and the gauge follows.
        _edges[0].Certificate = _ca.Issue(Host, TimeSpan.FromDays(91));
        await Eventually.True(() => DaysLeft(http)["edge-1"] == 89, "edge-1's renewed certificate in /metrics", TimeSpan.FromSeconds(30), pollMs: 200);
        await Eventually.True(() => _server.Lines.Any(l => l.Contains($"Certificate of {Target(0)} ({Host}) renewed: 89 day(s) left", StringComparison.Ordinal)), "the renewal logged");
        Assert.Single(_server.Lines, l => l.Contains(low, StringComparison.Ordinal));
    }

    private static IReadOnlyList<MetricSample> Scrape(HttpClient http) => PrometheusText.Parse(http.GetStringAsync("/metrics").Result).Samples;

    private double Successes(HttpClient http, int edge) =>
        Scrape(http).FirstOrDefault(s => s.Name == "geodns_probes_total" && s.Has(("target", Target(edge)), ("result", "success")))?.Value ?? 0;

    private static Dictionary<string, double> DaysLeft(HttpClient http) =>
        Scrape(http).Where(s => s.Name == "geodns_edge_certificate_days_left" && s.Has(("pool", Host))).ToDictionary(s => s.Labels["edge"], s => s.Value);

    private string[] PoolAddresses()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.ReceiveTimeout = 2000;
        socket.SendTo(TestQuery.Build(Host, 1, ednsPayload: 1232), _server.Endpoint);
        var buffer = new byte[65535];
        var reply = ReplyText.Parse(buffer[..socket.Receive(buffer)]);
        return reply.AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()).Order(StringComparer.Ordinal).ToArray();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        foreach (var edge in _edges) await edge.DisposeAsync();
        _directory.Dispose();
        _ca.Dispose();
    }
}
