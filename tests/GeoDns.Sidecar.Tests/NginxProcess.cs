using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GeoDns.Testing;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// A real nginx in the foreground (<c>daemon off</c>) on a config of ours, stopped by its PID (TERM,
/// then its process tree killed). Started only after <c>nginx -t</c> passes; returns once
/// <paramref name="ready"/> accepts connections.
/// </summary>
public sealed class NginxProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _errorLog;

    private NginxProcess(Process process, string errorLog) => (_process, _errorLog) = (process, errorLog);

    public static async Task<NginxProcess> StartAsync(string nginx, string config, string errorLog, IPEndPoint ready)
    {
        var prefix = Path.GetDirectoryName(config)!;
        var test = Tools.Run(nginx, "-t", "-q", "-p", prefix, "-c", config, "-e", errorLog);
        Assert.True(test.ExitCode == 0, $"nginx -t {config}: {test.Stderr}");
        var start = new ProcessStartInfo(nginx) { UseShellExecute = false };
        foreach (var argument in (string[])["-p", prefix, "-c", config, "-e", errorLog, "-g", "daemon off;"]) start.ArgumentList.Add(argument);
        var started = new NginxProcess(Process.Start(start)!, errorLog);
        try
        {
            await Eventually.True(() => started._process.HasExited || Accepts(ready), $"nginx accepts on {ready}", TimeSpan.FromSeconds(30), pollMs: 50);
            Assert.False(started._process.HasExited, $"nginx exited: {started.ErrorLog()}");
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    /// <summary>A loopback port free on <paramref name="address"/> right now (nginx cannot listen on port 0).</summary>
    public static int FreePort(IPAddress address)
    {
        using var probe = new TcpListener(address, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public string ErrorLog() => File.Exists(_errorLog) ? File.ReadAllText(_errorLog) : "";

    private static bool Accepts(IPEndPoint endpoint)
    {
        using var client = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            client.Connect(endpoint);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // TERM: the master stops its workers and exits; if it does not, the whole tree goes.
            Tools.Run("kill", "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }
}
