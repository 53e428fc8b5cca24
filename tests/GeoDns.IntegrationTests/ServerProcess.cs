using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using GeoDns.Server;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// The server binary as an operator runs it (<c>dotnet GeoDns.Server.dll</c>), in its own process
/// with its own environment (e.g. SSL_CERT_FILE, as the lab's nameservers trust its CA), on
/// loopback port 0 for DNS and admin; its console log is kept, line by line, for the test to read.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ServerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Lines => [.. _lines];

    public string Log => string.Join('\n', _lines);

    /// <summary>The admin endpoint once it listens (it may bind after DNS is served); null until then.</summary>
    public Uri AdminUri => AdminLine().Match(Log) is { Success: true } listening ? new Uri(listening.Groups[1].Value) : null!;

    public bool HasExited => _process.HasExited;

    public IPEndPoint Endpoint { get; private set; } = null!;

    /// <summary>Starts the server on <paramref name="directory"/>'s zones/ and geodns.json; returns once it serves DNS and (unless
    /// <paramref name="waitForAdmin"/> is false) its admin endpoint listens.</summary>
    public static async Task<ServerProcess> StartAsync(string directory, IReadOnlyDictionary<string, string>? environment = null, string admin = "127.0.0.1:0", bool waitForAdmin = true)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[typeof(DnsService).Assembly.Location, "--config", Path.Combine(directory, "geodns.json"), "--zones", Path.Combine(directory, "zones"),
            "--data", Path.Combine(directory, "data"), "--listen", "127.0.0.1:0", "--admin", admin])
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var server = new ServerProcess(Process.Start(start)!);
        try
        {
            // A cold start of the binary on a loaded 2-core machine takes seconds.
            await Eventually.True(() => server.Listening(waitForAdmin) || server._process.HasExited, "the server serves DNS and its admin endpoint", TimeSpan.FromSeconds(60), pollMs: 100);
            if (server._process.HasExited) throw new InvalidOperationException($"the server exited with {server._process.ExitCode}:\n{server.Log}");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the server binary with <paramref name="args"/> until it exits (a start it refuses): its exit code and what it wrote.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunToExitAsync(params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", [typeof(DnsService).Assembly.Location, .. args])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            Assert.Fail("the server did not exit");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Asks for <paramref name="name"/>'s A record over UDP; the reply's bytes, or null when none comes within 2 s.</summary>
    public byte[]? Ask(string name)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.ReceiveTimeout = 2000;
        socket.SendTo(TestQuery.Build(name, 1), Endpoint);
        var buffer = new byte[1500];
        try
        {
            return buffer[..socket.Receive(buffer)];
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    public HttpClient NewHttpClient() => new() { BaseAddress = AdminUri, Timeout = TimeSpan.FromSeconds(20) };

    private bool Listening(bool admin = true)
    {
        var log = Log;
        if (DnsLine().Match(log) is not { Success: true } dns) return false;
        Endpoint = IPEndPoint.Parse(dns.Groups[1].Value);
        return !admin || AdminLine().IsMatch(log);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(Eventually.Bound);
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"Serving DNS on (\S+) \(UDP and TCP\)")]
    private static partial Regex DnsLine();

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex AdminLine();
}
