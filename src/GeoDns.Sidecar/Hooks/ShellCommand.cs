using System.Diagnostics;
using System.Text;

namespace GeoDns.Sidecar.Hooks;

/// <summary>
/// Runs a user's command line with <c>/bin/sh -c</c>, with extra environment variables, a time
/// limit and both outputs captured (never logged here: the caller decides what is safe to show).
/// </summary>
public static class ShellCommand
{
    /// <summary>Output kept per stream; a chatty hook cannot fill the memory.</summary>
    private const int MaxCapture = 256 * 1024;

    /// <summary>How long to wait for output after exit: a hook may leave a daemon holding its stdout.</summary>
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="commandLine"/>; cancelling kills it and its children (the result then reads as timed out).</summary>
    public static async Task<ShellResult> RunAsync(string commandLine, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, TimeProvider time, CancellationToken cancel = default)
    {
        var start = time.GetTimestamp();
        var info = new ProcessStartInfo("/bin/sh", ["-c", commandLine])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("/bin/sh did not start");
        process.StandardInput.Close();
        StringBuilder stdout = new(), stderr = new();
        var reading = Task.WhenAll(Capture(process.StandardOutput, stdout), Capture(process.StandardError, stderr));
        using var limit = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancel, limit.Token);
        int? exitCode;
        try
        {
            await process.WaitForExitAsync(either.Token);
            exitCode = process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { /* already gone */ }
            exitCode = null;
        }
        var took = time.GetElapsedTime(start);
        await Task.WhenAny(reading, Task.Delay(OutputGrace, CancellationToken.None));
        return new ShellResult(exitCode, Text(stdout), Text(stderr), took);
    }

    private static async Task Capture(StreamReader reader, StringBuilder text)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
            lock (text)
                if (text.Length < MaxCapture) text.Append(buffer, 0, Math.Min(read, MaxCapture - text.Length));
    }

    private static string Text(StringBuilder text)
    {
        lock (text) return text.ToString();
    }
}
