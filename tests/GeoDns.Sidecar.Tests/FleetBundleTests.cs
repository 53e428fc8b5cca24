using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using GeoDns.Alerts;
using GeoDns.Server;
using GeoDns.Sidecar.Fleet;
using GeoDns.Sidecar.WireGuard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The fleet section of sidecar.json: the sidecar writes each nameserver's files (config, zone, token, TSIG
/// key), and two real GeoDns servers run from them as they are: the first serves the zone file, the second
/// follows it by zone transfer, both answer the same apex, and neither config is refused by the server.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes
public sealed class FleetBundleTests : IDisposable
{
    private const string AdminToken = "fleet-test-admin-token";
    private readonly Scratch _scratch = new();

    [Fact]
    public async Task Keys_WritesEachNameserversFiles_AndTheSecondFollowsTheFirstByTransfer()
    {
        var port = NginxProcess.FreePort(IPAddress.Parse("127.0.0.61"));
        var options = Options(port);
        using (var session = Open(options))
        {
            var rendered = session.RenderAll();
            Assert.True(rendered.Ok, rendered.Error);
        }
        var ns1 = _scratch["data/fleet/ns1"];
        var ns2 = _scratch["data/fleet/ns2"];
        Assert.True(File.Exists(Path.Combine(ns1, "zones/edge.example.com.zone")));
        Assert.False(File.Exists(Path.Combine(ns2, "zones/edge.example.com.zone")), "ns2 follows ns1: it holds no zone file");
        Assert.Equal(File.ReadAllText(Path.Combine(ns1, NameserverBundle.KeyFile)), File.ReadAllText(Path.Combine(ns2, NameserverBundle.KeyFile)));
        Assert.All(Directory.GetFiles(_scratch["data/fleet"], "*", SearchOption.AllDirectories),
            f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
        Assert.Contains("\"admin\": \"10.77.0.2:8053\"", File.ReadAllText(Path.Combine(ns1, "geodns.json")));
        Assert.Contains("\"admin\": \"10.77.0.3:8053\"", File.ReadAllText(Path.Combine(ns2, "geodns.json")));
        // The sidecar's alert channels, so each nameserver can say itself that the home went quiet: its name, the
        // channels as the server spells them, and their secrets copied beside the config (0600 with the rest, above).
        var ns2Config = ConfigFile.Load(Path.Combine(ns2, "geodns.json"), out var loadError);
        Assert.True(ns2Config is not null, loadError);
        Assert.Equal("ns2", ns2Config.Name);
        Assert.Empty(ns2Config.Alerts.Validate(Path.Combine(ns2, "geodns.json")));
        Assert.Equal(TimeSpan.FromSeconds(30), ns2Config.Alerts.GroupWindow);
        Assert.Equal(TimeSpan.FromMinutes(5), ns2Config.Alerts.HomeSilentAfter);
        // The receiver on the home's loopback is not the nameserver's: that channel stays at home.
        Assert.Equal(2, ns2Config.Alerts.Channels.Count);
        var (hook, mail) = (ns2Config.Alerts.Channels[0], ns2Config.Alerts.Channels[1]);
        Assert.Equal((AlertChannelType.Webhook, "https://hooks.example.net/geodns", NameserverBundle.AlertSecretFile(0, "token")), (hook.Type, hook.Url, hook.TokenFile));
        Assert.Equal((AlertChannelType.Email, SmtpSecurity.Tls, 465, NameserverBundle.AlertSecretFile(1, "password"), "me@example.net"),
            (mail.Type, mail.Security, mail.Port, mail.PasswordFile, Assert.Single(mail.To)));
        Assert.Equal("hook-token\n", File.ReadAllText(Path.Combine(ns2, "alert-0.token")));
        Assert.Equal("smtp-password\n", File.ReadAllText(Path.Combine(ns1, "alert-1.password")));

        // The secret is made once: a second run writes the same key.
        var key = File.ReadAllText(Path.Combine(ns1, NameserverBundle.KeyFile));
        using (var session = Open(options)) Assert.True(session.RenderAll().Ok);
        Assert.Equal(key, File.ReadAllText(Path.Combine(ns1, NameserverBundle.KeyFile)));

        // Both run from their files; only the admin address moves to loopback (the tunnel's is not on this machine).
        await using var primary = await StartAsync(ns1);
        await using var secondary = await StartAsync(ns2);
        var soa1 = await SoaAsync("127.0.0.61", port);
        Assert.NotNull(soa1);
        SoaRecord? soa2 = null;
        for (var i = 0; i < 100 && soa2?.SerialNumber != soa1.SerialNumber; i++, await Task.Delay(100)) soa2 = await SoaAsync("127.0.0.62", port);
        Assert.Equal(soa1.SerialNumber, soa2?.SerialNumber);
        Assert.Empty(secondary.Observations.ZoneWarnings); // its empty zone directory is a follower's normal state, not a mistake
        var glue = await AskAsync("127.0.0.62", port, "ns2.edge.example.com", RecordType.A);
        Assert.Equal("127.0.0.62", Assert.Single(glue!.AnswerRecords.OfType<ARecord>()).Address.ToString());
        // The user's own records beside the apex, on the follower too.
        var www = await AskAsync("127.0.0.62", port, "www.edge.example.com", RecordType.CName);
        Assert.Equal("app.edge.example.com.", Assert.Single(www!.AnswerRecords.OfType<CNameRecord>()).CanonicalName.ToString());
    }

    [Fact]
    public void Render_AgainAfterAChange_RemovesTheFilesTheBundleNoLongerHas()
    {
        var options = Options(5353);
        options.Fleet.Transfers = false;
        using (var session = Open(options)) Assert.True(session.RenderAll().Ok);
        var ns2 = _scratch["data/fleet/ns2"];
        Assert.True(File.Exists(Path.Combine(ns2, "zones/edge.example.com.zone")), "without transfers each holds the zone file");

        Assert.True(File.Exists(Path.Combine(ns2, "alert-0.token")));

        // With transfers ns2 follows ns1: a zone file left behind would be installed (the hooks and the digest take the
        // whole directory), and ns2 would serve its own stale copy of the zone. So would an alert channel's secret
        // outlive its channel.
        options.Fleet.Transfers = true;
        options.Alerts.Channels.Clear();
        using (var session = Open(options)) Assert.True(session.RenderAll().Ok);

        Assert.Equal([NameserverBundle.TokenFile, NameserverBundle.ConfigFile, NameserverBundle.KeyFile],
            Directory.GetFiles(ns2, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(ns2, f)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Fleet_GivesTheNameserversTunnelsAndAdminUrls()
    {
        File.WriteAllText(_scratch["sidecar.json"], """
            { "pool": "app.edge.example.com",
              "fleet": { "zone": "edge.example.com", "nameservers": [ { "name": "ns1", "ipv4": "198.51.100.1" }, { "name": "ns2", "ipv6": "2001:db8::2" } ] } }
            """);
        var options = SidecarOptions.Load(_scratch["sidecar.json"], out var error);

        Assert.NotNull(options);
        Assert.Empty(options.Problems());
        Assert.Equal(["http://10.77.0.2:8053", "http://10.77.0.3:8053"], options.Nameservers);
        Assert.Equal(["ns1 198.51.100.1:51820", "ns2 [2001:db8::2]:51820"], options.NameserverTunnels.Select(t => $"{t.Name} {t.Endpoint}"));
    }

    [Theory]
    [InlineData("""{ "zone": "edge.example.com", "nameservers": [ { "name": "ns1", "ipv4": "198.51.100.1" }, { "name": "NS1", "ipv4": "198.51.100.2" } ] }""", "fleet.nameservers: ns1 is listed twice")]
    [InlineData("""{ "zone": "other.example.com", "nameservers": [ { "name": "ns1", "ipv4": "198.51.100.1" } ] }""", "fleet.zone: the pool 'app.edge.example.com' is not inside other.example.com")]
    [InlineData("""{ "zone": "edge.example.com", "nameservers": [ { "name": "ns1" } ] }""", "fleet.nameservers: ns1: neither ipv4/ipv6 (a nameserver that exists) nor country (one bootstrap buys) is set")]
    [InlineData("""{ "zone": "edge.example.com", "nameservers": [ { "name": "ns1.x", "ipv4": "198.51.100.1" } ] }""", "fleet.nameservers: name 'ns1.x' is not one DNS label")]
    [InlineData("""{ "zone": "edge.example.com", "nameservers": [ { "name": "ns1", "country": "Germany" } ] }""", "fleet.nameservers: ns1: country 'Germany' is not a two-letter ISO 3166 code")]
    [InlineData("""{ "zone": "edge.example.com", "parent": "example.org", "nameservers": [ { "name": "ns1", "country": "DE" } ] }""", "fleet.parent: edge.example.com is not inside 'example.org'")]
    [InlineData("""{ "zone": "edge.example.com", "package": "geodns.tar.gz", "nameservers": [ { "name": "ns1", "country": "DE" } ] }""", "fleet.package: 'geodns.tar.gz' is not a .deb file")]
    [InlineData("""{ "zone": "edge.example.com", "records": [ "www IN TXT ( \"a\" )" ], "nameservers": [ { "name": "ns1", "country": "DE" } ] }""", "fleet.records[0]: 'www IN TXT")]
    [InlineData("""{ "zone": "edge.example.com", "pool": { "edges": [] }, "nameservers": [ { "name": "ns1", "ipv4": "198.51.100.1" } ] }""", "fleet.pool.edges: set by the sidecar")]
    public void Fleet_Mistakes_AreNamedByKey(string fleet, string problem)
    {
        File.WriteAllText(_scratch["sidecar.json"], $$"""{ "pool": "app.edge.example.com", "fleet": {{fleet}} }""");

        var options = SidecarOptions.Load(_scratch["sidecar.json"], out _);

        Assert.Contains(options!.Problems(), p => p.StartsWith(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Fleet_Ipv6OnlyNameserver_WithTheProvisionHook_IsAProblem()
    {
        File.WriteAllText(_scratch["sidecar.json"], """
            { "pool": "app.edge.example.com", "hooks": { "provisionNameserver": "/opt/geodns/hooks/hetzner/provision-nameserver.sh" },
              "fleet": { "zone": "edge.example.com", "nameservers": [ { "name": "ns1", "ipv4": "198.51.100.1" }, { "name": "ns2", "ipv6": "2001:db8::2" } ] } }
            """);

        var problems = SidecarOptions.Load(_scratch["sidecar.json"], out _)!.Problems();

        Assert.Equal(["fleet.nameservers: ns2: no ipv4, which hooks.provisionNameserver needs (the hooks reach the VPS at EDGE_IPV4); install an IPv6-only nameserver by hand"],
            problems.Where(p => p.StartsWith("fleet.", StringComparison.Ordinal)));
    }

    [Fact]
    public void Fleet_AndNameserversByHand_IsAProblem()
    {
        File.WriteAllText(_scratch["sidecar.json"], """
            { "pool": "app.edge.example.com", "nameservers": [ "http://10.77.0.2:8053" ],
              "fleet": { "zone": "edge.example.com", "nameservers": [ { "name": "ns1", "ipv4": "198.51.100.1" } ] } }
            """);

        Assert.Contains(SidecarOptions.Load(_scratch["sidecar.json"], out _)!.Problems(), p => p.StartsWith("fleet.nameservers: set either fleet", StringComparison.Ordinal));
    }

    private SidecarOptions Options(int port) => new()
    {
        Pool = "app.edge.example.com",
        AdminToken = AdminToken,
        Alerts = new GeoDns.Sidecar.Daemon.SidecarAlertOptions
        {
            GroupWindow = TimeSpan.FromSeconds(30),
            HomeSilentAfter = TimeSpan.FromMinutes(5),
            Channels =
            [
                new() { Type = AlertChannelType.Webhook, Url = "https://hooks.example.net/geodns", TokenFile = Secret("hook.token", "hook-token") },
                new() { Type = AlertChannelType.Email, Host = "smtp.example.net", Port = 465, Security = SmtpSecurity.Tls, Username = "alerts@example.net",
                        PasswordFile = Secret("smtp.password", "smtp-password\n"), From = "alerts@example.net", To = ["me@example.net"] },
                new() { Type = AlertChannelType.Webhook, Name = "at home", Url = "http://127.0.0.1:8099/hook" },
            ],
        },
        Data = _scratch["data"],
        WireguardDir = _scratch["wireguard"],
        Apply = "",
        Fleet = new FleetOptions
        {
            Zone = "edge.example.com",
            Records = ["www IN CNAME app"],
            DnsPort = port,
            Nameservers = [new FleetNameserver { Name = "ns1", Ipv4 = "127.0.0.61" }, new FleetNameserver { Name = "ns2", Ipv4 = "127.0.0.62", Listen = [$"127.0.0.62:{port}"] }],
            Pool = new System.Text.Json.Nodes.JsonObject { ["ttl"] = 20 },
        },
    };

    private string Secret(string name, string text)
    {
        File.WriteAllText(_scratch[name], text);
        return _scratch[name];
    }

    private static SidecarSession Open(SidecarOptions options)
    {
        var opened = SidecarSession.Open(options, TimeProvider.System, NullLoggerFactory.Instance);
        Assert.True(opened.Ok, opened.Error);
        opened.Value!.GenerateKeys = KeyPair.GenerateWithNSec;
        return opened.Value;
    }

    private async Task<Running> StartAsync(string bundle)
    {
        // As the unit runs it: the config from the bundle, the zones beside it, a data directory of its own.
        var options = CommandLine.Parse(["--config", Path.Combine(bundle, "geodns.json"), "--zones", Path.Combine(bundle, "zones"), "--data", Path.Combine(bundle, "data"),
            "--admin", "127.0.0.1:0", "--admin-token-file", Path.Combine(bundle, NameserverBundle.TokenFile)], out var error) ?? throw new InvalidOperationException(error);
        Directory.CreateDirectory(Path.Combine(bundle, "zones"));
        options.Transport.UdpSockets = 1;
        var host = GeoDnsHost.Create(options);
        await host.StartAsync();
        return new Running(host);
    }

    private static async Task<SoaRecord?> SoaAsync(string address, int port) =>
        (await AskAsync(address, port, "edge.example.com", RecordType.Soa))?.AnswerRecords.OfType<SoaRecord>().SingleOrDefault();

    private static async Task<DnsMessage?> AskAsync(string address, int port, string name, RecordType type)
    {
        var client = new DnsClient([IPAddress.Parse(address)], [new UdpClientTransport(port)], queryTimeout: 1000);
        return await client.ResolveAsync(DomainName.Parse(name), type);
    }

    private sealed class Running(IHost host) : IAsyncDisposable
    {
        public Observations Observations => host.Services.GetRequiredService<DnsService>().Observations;

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    public void Dispose() => _scratch.Dispose();
}
