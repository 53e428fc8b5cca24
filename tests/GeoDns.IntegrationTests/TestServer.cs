using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using GeoDns.Server;
using GeoDns.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GeoDns.IntegrationTests;

/// <summary>The real host on free loopback ports (DNS and admin), serving zone files from a temporary directory.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string ExampleZone = """
        $ORIGIN example.com.
        $TTL 300
        @    IN SOA ns1 hostmaster 1 3600 600 1209600 60
             IN NS  ns1
        ns1  IN A   127.0.0.1
        www  IN A   127.0.0.10
        """;

    /// <summary>The admin token every test server runs with.</summary>
    public const string AdminToken = "test-admin-token-0123456789";

    private readonly IHost _host;

    private bool _ownsDirectory;

    private readonly LogCapture _log;

    private TestServer(string directory, IHost host, bool ownsDirectory, LogCapture log, ServerOptions options)
    {
        _log = log;
        Options = options;
        Directory = directory;
        ZoneDirectory = Path.Combine(directory, "zones");
        _ownsDirectory = ownsDirectory;
        _host = host;
        Endpoint = host.Services.GetRequiredService<DnsService>().Endpoints[0];
        AdminUri = GeoDnsHost.AdminUri(host) ?? throw new InvalidOperationException("the admin endpoint did not start");
        Http = NewHttpClient(AdminToken);
    }

    /// <summary>Holds zones/, data/ and geodns.json; give it to a second server to restart on the same state.</summary>
    public string Directory { get; }
    public string ZoneDirectory { get; }
    public string ConfigFile => Path.Combine(Directory, "geodns.json");
    public IPEndPoint Endpoint { get; }

    /// <summary>The options the host runs with; the listeners read <see cref="ServerOptions.Transport"/> as they go.</summary>
    public ServerOptions Options { get; }
    public DnsService Service => _host.Services.GetRequiredService<DnsService>();
    public GeoDns.Server.Admin.AdminServer Admin => _host.Services.GetRequiredService<GeoDns.Server.Admin.AdminServer>();

    /// <summary>The admin endpoint, e.g. http://127.0.0.1:41234/.</summary>
    public Uri AdminUri { get; }

    /// <summary>What the server has logged so far (its console lines, as text), from before it started.</summary>
    public string Log => _log.Text;

    /// <summary>An HTTP client of the admin endpoint that sends the token.</summary>
    public HttpClient Http { get; }

    /// <summary>
    /// Waits until the static lane has been idle for a second and the last publish answers: a zone edit can bring a
    /// second rebuild from the directory watcher after the first one answered, which a test counting rebuilds must not see.
    /// </summary>
    public async Task SettledAsync()
    {
        var metrics = Service.Observations.PublishMetrics;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var last = metrics.Publishes("static");
        var since = DateTime.UtcNow;
        while (DateTime.UtcNow - since < TimeSpan.FromSeconds(1) && DateTime.UtcNow < deadline)
        {
            await Service.Observations.AnsweredAsync();
            await Task.Delay(100);
            var now = metrics.Publishes("static");
            if (now != last) (last, since) = (now, DateTime.UtcNow);
        }
    }

    /// <summary>A client of the admin endpoint sending <paramref name="token"/> (none when null); the caller disposes it.</summary>
    public HttpClient NewHttpClient(string? token)
    {
        var client = new HttpClient { BaseAddress = AdminUri, Timeout = TimeSpan.FromSeconds(20) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <param name="logging">Adds to the server's log, e.g. a logger that fails when told to.</param>
    public static async Task<TestServer> StartAsync(string zoneText = ExampleZone, string origin = "example.com", string? config = null, string? directory = null, bool degraded = false, string listen = "127.0.0.1:0", int udpSockets = 2,
        Action<Microsoft.Extensions.Logging.ILoggingBuilder>? logging = null)
    {
        var owns = directory is null;
        directory ??= System.IO.Directory.CreateTempSubdirectory("geodns-test-").FullName;
        var zones = System.IO.Directory.CreateDirectory(Path.Combine(directory, "zones")).FullName;
        await File.WriteAllTextAsync(Path.Combine(zones, origin + ".zone"), zoneText);
        var options = new ServerOptions { Zones = zones, Data = Path.Combine(directory, "data"), Listen = [listen], ReloadDebounce = TimeSpan.FromMilliseconds(100) };
        if (config is not null)
        {
            var path = Path.Combine(directory, "geodns.json");
            await File.WriteAllTextAsync(path, config);
            options = CommandLine.Parse(["--config", path, "--zones", zones, "--data", options.Data, "--listen", listen, "--admin", "127.0.0.1:0"], out var error) ?? throw new InvalidOperationException(error);
            options.ReloadDebounce = TimeSpan.FromMilliseconds(100);
        }
        options.Admin = "127.0.0.1:0";
        options.AdminToken = AdminToken;
        options.Transport.UdpSockets = udpSockets;
        options.Transport.TcpIdleTimeout = TimeSpan.FromSeconds(2);
        options.StartDegraded = degraded;
        var host = GeoDnsHost.Create(options, moreLogging: logging);
        // Added before the start, so every line is kept; the host's filters (e.g. ASP.NET Core below Warning) apply as to the console.
        var log = new LogCapture();
        host.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            if (owns) System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
        return new TestServer(directory, host, owns, log, options);
    }

    /// <summary>Leaves the directory behind on dispose, for a restart on the same state.</summary>
    public TestServer KeepDirectory()
    {
        _ownsDirectory = false;
        return this;
    }

    /// <summary>Sends one datagram; null when no reply comes within the timeout.</summary>
    public byte[]? Udp(byte[] query, int timeoutMs = 2000)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveTimeout = timeoutMs;
        socket.SendTo(query, Endpoint);
        var buffer = new byte[65535];
        try
        {
            var length = socket.Receive(buffer);
            return buffer[..length];
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            return null;
        }
    }

    public DnsMessage Ask(string name, ushort type, int? ednsPayload = 1232) =>
        ReplyText.Parse(Udp(TestQuery.Build(name, type, ednsPayload: ednsPayload)) ?? throw new TimeoutException($"no reply for {name}"));

    public TcpClient ConnectTcp()
    {
        var client = new TcpClient();
        client.Connect(Endpoint);
        client.ReceiveTimeout = 5000;
        return client;
    }

    public static void SendFramed(NetworkStream stream, byte[] query) =>
        stream.Write([(byte)(query.Length >> 8), (byte)query.Length, .. query]);

    public static byte[]? ReadFramed(NetworkStream stream)
    {
        var length = new byte[2];
        if (!Fill(stream, length)) return null;
        var message = new byte[(length[0] << 8) | length[1]];
        return Fill(stream, message) ? message : null;
    }

    private static bool Fill(NetworkStream stream, byte[] buffer)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var n = stream.Read(buffer, read, buffer.Length - read);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _host.StopAsync();
        _host.Dispose();
        if (_ownsDirectory) System.IO.Directory.Delete(Directory, recursive: true);
    }
}
