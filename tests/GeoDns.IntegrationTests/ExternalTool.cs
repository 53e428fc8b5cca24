using System.Diagnostics;
using System.Text;

namespace GeoDns.IntegrationTests;

/// <summary>Runs a real DNS tool (dig, kdig, nsupdate, knotd, certbot, pebble) with a bound; null when it is not installed.</summary>
public static class ExternalTool
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    public static bool Exists(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin"]).Any(d => File.Exists(Path.Combine(d, name)));

    public static string PathOf(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin"]).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists) ?? name;

    public static async Task<Result?> RunAsync(string name, IEnumerable<string> arguments, string? input = null, int timeoutMs = 20_000, IDictionary<string, string>? environment = null)
    {
        if (!Exists(name)) return null;
        var start = new ProcessStartInfo(PathOf(name)) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(timeoutMs);
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name} {string.Join(' ', start.ArgumentList)} did not finish within {timeoutMs} ms");
        }
        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>A long-running tool (knotd, pebble) whose output is collected while it runs; disposing kills it by PID.</summary>
    public sealed class Daemon : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _log = new();

        public Daemon(string name, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
        {
            var start = new ProcessStartInfo(PathOf(name)) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
            _process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Log
        {
            get { lock (_log) return _log.ToString(); }
        }

        public bool Exited => _process.HasExited;

        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
            _process.Dispose();
        }
    }
}
