using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace GeoDns.Testing;

/// <summary>
/// A tiny HTTPS edge on loopback (Kestrel is not available to every test project): TLS with the
/// given certificate, reads one request head, answers with <paramref name="status"/> and closes.
/// With <paramref name="handshake"/> false it accepts TCP and then says nothing, like a hung edge.
/// <paramref name="endpoint"/> (default 127.0.0.1, a free port) puts several edges on one port.
/// </summary>
public sealed class TlsTestServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _status;
    private readonly bool _handshake;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _accepted;

    public TlsTestServer(X509Certificate2 certificate, int status = 200, bool handshake = true, IPEndPoint? endpoint = null)
    {
        (Certificate, _status, _handshake) = (certificate, status, handshake);
        _listener = new TcpListener(endpoint ?? new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>What the next handshakes present: replace it to renew the edge's certificate.</summary>
    public X509Certificate2 Certificate { get; set; }

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>The request heads received (request line and headers).</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The SNI names the clients sent (null when none).</summary>
    public ConcurrentQueue<string?> ServerNames { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _accepted);
                _ = ServeAsync(client, _stop.Token);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // Disposed: the pending accept fails one way or another (cancelled, socket closed, "not listening").
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken ct)
    {
        using (client)
        {
            try
            {
                if (!_handshake) await Task.Delay(Timeout.Infinite, ct);
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateSelectionCallback = (_, name) => { ServerNames.Enqueue(name); return Certificate; },
                }, ct);
                Requests.Enqueue(await ReadHeadAsync(tls, ct));
                var reason = _status == 200 ? "OK" : "Status";
                await tls.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {_status} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), ct);
                await tls.FlushAsync(ct);
            }
            catch (Exception)
            {
                // The client rejected our certificate, timed out, or the test ended: the test asserts on the client's side.
            }
        }
    }

    private static async Task<string> ReadHeadAsync(Stream stream, CancellationToken ct)
    {
        var head = new StringBuilder();
        var buffer = new byte[1024];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, ct);
            if (read == 0) break;
            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return head.ToString();
    }
}
