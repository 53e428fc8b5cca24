using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using GeoDns.Sidecar.Nginx;
using GeoDns.Testing;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The path a user takes, with real nginx twice: the edge's nginx.conf rendered from the built-in
/// TLS template as the sidecar renders it, in front of the home nginx from
/// deploy/home/nginx-home-tls.conf, in front of a home app. Only the listen lines differ from a
/// real edge: loopback addresses and free ports instead of *:80 and *:443.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // nginx and file modes: Linux only
public sealed class EdgeNginxTests
{
    private const string Host = "app.example.com";

    [SkippableFact]
    public async Task WebSocket_ThroughEdgeAndHomeNginx_MessagesFlowBothWays_AndPlainRequestsToo()
    {
        var nginx = Executables.Find("nginx");
        Skip.If(nginx is null, "nginx is not installed (.ci/run installs it)");
        using var scratch = new Scratch();
        // nginx's workers (www-data on the edge, nobody at home) serve the ACME webroot from in here.
        File.SetUnixFileMode(scratch.Path, (UnixFileMode)0b111_101_101);
        var prefix = $"127.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(1, 250)}.";
        var (homeTunnel, edge, user) = (IPAddress.Parse(prefix + "1"), IPAddress.Parse(prefix + "10"), IPAddress.Parse(prefix + "200"));
        using var ca = new TestCertificates();
        using var certificate = ca.Issue(Host, TimeSpan.FromDays(30));
        await using var app = await HomeWebSocketApp.StartAsync();

        var homePort = NginxProcess.FreePort(homeTunnel);
        await using var home = await StartHomeAsync(nginx, scratch, homeTunnel, homePort, app.Port);
        var (https, http) = (NginxProcess.FreePort(edge), NginxProcess.FreePort(edge));
        while (http == https) http = NginxProcess.FreePort(edge);
        await using var edgeNginx = await StartEdgeAsync(nginx, scratch, certificate, homeTunnel, homePort, edge, https, http);

        using var handler = Handler(new IPEndPoint(edge, https), user, certificate);
        using var invoker = new HttpMessageInvoker(handler);
        using var socket = new ClientWebSocket();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new Uri($"wss://{Host}:{https}/ws"), invoker, limit.Token);

        Assert.Equal((WebSocketMessageType.Text, HomeWebSocketApp.Greeting), await ReceiveText(socket, limit.Token)); // home speaks first
        await socket.SendAsync(Encoding.UTF8.GetBytes("ping 1"), WebSocketMessageType.Text, endOfMessage: true, limit.Token);
        Assert.Equal((WebSocketMessageType.Text, "home got: ping 1"), await ReceiveText(socket, limit.Token));
        var photo = RandomNumberGenerator.GetBytes(300_000); // larger than any proxy buffer on the way
        await socket.SendAsync(photo, WebSocketMessageType.Binary, endOfMessage: true, limit.Token);
        var (type, echoed) = await HomeWebSocketApp.ReceiveAsync(socket, limit.Token);
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.True(photo.AsSpan().SequenceEqual(echoed), $"the binary message came back altered ({echoed.Length} of {photo.Length} bytes)");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", limit.Token);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);

        var upgrade = Assert.Single(app.Upgrades);
        Assert.Equal(Host, upgrade["Host"]);
        Assert.Equal("websocket", upgrade["Upgrade"], ignoreCase: true);
        Assert.Equal("https", upgrade["X-Forwarded-Proto"]);
        Assert.StartsWith(user.ToString(), upgrade["X-Forwarded-For"]); // the user's address, not the edge's

        // Plain requests on the same edge: the app's page, the probe path answered at home, and an
        // ACME HTTP-01 challenge on port 80 passed home to the webroot (before any certificate).
        using var client = new HttpClient(Handler(new IPEndPoint(edge, https), user, certificate)) { Timeout = TimeSpan.FromSeconds(20) };
        Assert.Equal("plain page from home\n", await client.GetStringAsync($"https://{Host}:{https}/"));
        Assert.Equal("ok\n", await client.GetStringAsync($"https://{Host}:{https}/healthz"));
        var challenge = Path.Combine(scratch["webroot"], ".well-known", "acme-challenge", "t0k3n");
        Directory.CreateDirectory(Path.GetDirectoryName(challenge)!);
        await File.WriteAllTextAsync(challenge, "t0k3n.thumbprint");
        using var plain = new HttpClient(Handler(new IPEndPoint(edge, http), user, certificate)) { Timeout = TimeSpan.FromSeconds(20) };
        Assert.Equal("t0k3n.thumbprint", await plain.GetStringAsync($"http://{Host}:{http}/.well-known/acme-challenge/t0k3n"));
        Assert.DoesNotContain("[error]", edgeNginx.ErrorLog());
    }

    private static async Task<(WebSocketMessageType, string)> ReceiveText(WebSocket socket, CancellationToken ct)
    {
        var (type, message) = await HomeWebSocketApp.ReceiveAsync(socket, ct);
        return (type, Encoding.UTF8.GetString(message));
    }

    /// <summary>deploy/home/nginx-home-tls.conf with its placeholders filled, as the guide says, inside a minimal http block.</summary>
    private static Task<NginxProcess> StartHomeAsync(string nginx, Scratch scratch, IPAddress tunnel, int port, int appPort)
    {
        var dir = Directory.CreateDirectory(scratch["home"]).FullName;
        var site = File.ReadAllText(Repository.File("deploy/home/nginx-home-tls.conf"))
            .Replace("HOME_TUNNEL_ADDRESS:80", $"{tunnel}:{port}", StringComparison.Ordinal)
            // The edge reaches the home from 127.0.0.1 here (from its tunnel address in a real deployment).
            .Replace("HOME_TUNNEL_RANGE", "127.0.0.0/8", StringComparison.Ordinal)
            .Replace("127.0.0.1:8080", $"127.0.0.1:{appPort}", StringComparison.Ordinal)
            .Replace("/var/www/letsencrypt", scratch["webroot"], StringComparison.Ordinal);
        Assert.DoesNotContain("listen HOME_TUNNEL_ADDRESS", site);
        File.WriteAllText(Path.Combine(dir, "site.conf"), site);
        File.WriteAllText(Path.Combine(dir, "nginx.conf"), $$"""
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log warn;
            events { worker_connections 64; }
            http {
                access_log {{dir}}/access.log;
                include {{dir}}/site.conf;
            }
            """);
        return NginxProcess.StartAsync(nginx, Path.Combine(dir, "nginx.conf"), Path.Combine(dir, "error.log"), new IPEndPoint(tunnel, port));
    }

    /// <summary>The built-in TLS template rendered as for a real edge; its listen lines moved to loopback ports.</summary>
    private static Task<NginxProcess> StartEdgeAsync(string nginx, Scratch scratch, X509Certificate2 certificate, IPAddress homeTunnel, int homePort, IPAddress edge, int https, int http)
    {
        var dir = Directory.CreateDirectory(scratch["edge"]).FullName;
        TestCertificates.WritePem(certificate, Path.Combine(dir, "fullchain.pem"), Path.Combine(dir, "privkey.pem"));
        File.SetUnixFileMode(Path.Combine(dir, "privkey.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var options = new NginxOptions
        {
            Mode = NginxMode.Tls,
            Domains = [Host],
            UpstreamPort = homePort,
            Variables = new()
            {
                ["log_dir"] = dir,
                ["pid_file"] = Path.Combine(dir, "nginx.pid"),
                ["certificate"] = Path.Combine(dir, "fullchain.pem"),
                ["certificate_key"] = Path.Combine(dir, "privkey.pem"),
            },
        };
        var rendered = NginxTemplate.BuiltIn(NginxMode.Tls).Render(options.VariablesFor(homeTunnel.ToString()));
        Assert.True(rendered.Ok, rendered.Error);
        var config = rendered.Value!;
        // The signals server too: on the machine's every address it could meet another test's, or anyone's, port 8055.
        var signals = NginxProcess.FreePort(edge);
        foreach (var (from, to) in new[] { ("listen 443 ssl http2;", $"listen {edge}:{https} ssl http2;"), ("listen 80;", $"listen {edge}:{http};"),
            ($"listen {Signals.SignalsOptions.DefaultPort};", $"listen {edge}:{signals};") })
        {
            Assert.Contains(from, config);
            config = config.Replace(from, to, StringComparison.Ordinal);
        }
        config = Regex.Replace(config, @"^[ \t]*listen \[::\]:\d+[^;]*;\n", "", RegexOptions.Multiline);
        File.WriteAllText(Path.Combine(dir, "nginx.conf"), config);
        return NginxProcess.StartAsync(nginx, Path.Combine(dir, "nginx.conf"), Path.Combine(dir, "error.log"), new IPEndPoint(edge, https));
    }

    /// <summary>A user's client: from <paramref name="source"/>, to the edge's address whatever the URL's host, trusting exactly the edge's certificate.</summary>
    private static SocketsHttpHandler Handler(IPEndPoint edge, IPAddress source, X509Certificate2 certificate) => new()
    {
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(edge, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
        UseProxy = false,
        SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString() },
    };
}
