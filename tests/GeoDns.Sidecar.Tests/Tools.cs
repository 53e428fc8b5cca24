using System.Diagnostics;

namespace GeoDns.Sidecar.Tests;

/// <summary>Runs an installed tool (wg-quick, nginx, openssl) and captures what it says.</summary>
public static class Tools
{
    public static (int ExitCode, string Stdout, string Stderr) Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in 30 s");
        }
        return (process.ExitCode, stdout, stderr.Result);
    }
}
