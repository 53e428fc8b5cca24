using System.Diagnostics;
using Xunit;

namespace GeoDns.Testing;

/// <summary>
/// A page in a real headless Chromium, one process per call: its DOM after the page's scripts ran
/// (<c>--dump-dom</c>), or a screenshot. Used by the nameserver's dashboard tests and the sidecar's fleet panel tests.
/// </summary>
public static class HeadlessChromium
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public const string HeadlessShell = "/usr/bin/chromium-headless-shell";

    /// <summary>
    /// The old headless shell first: it makes the window as wide as asked, where the browser's own headless mode
    /// keeps it at least 500 px wide, wider than a phone. Null when neither is installed (.ci/run installs both).
    /// </summary>
    public static string? Path { get; } = new[] { HeadlessShell, "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    /// <summary>Whether a window as narrow as a phone's (390 px) can be had.</summary>
    public static bool PhoneWidth => Path == HeadlessShell;

    /// <summary>The browser's time zone: a half-hour offset, so local times cannot pass for UTC by chance.</summary>
    public const string TimeZone = "Asia/Kolkata";

    /// <summary>The page's DOM once its scripts have had 5 s of virtual time.</summary>
    public static Task<string> DumpDomAsync(Uri page, params string[] more) => RunAsync("--dump-dom", page, more);

    /// <summary>A screenshot of <paramref name="page"/> at <paramref name="windowSize"/> ("1200,800") into <paramref name="file"/>, checked not blank.</summary>
    public static async Task ScreenshotAsync(Uri page, string file, string windowSize)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.Delete(file);
        await RunAsync($"--screenshot={file}", page, $"--window-size={windowSize}");
        Assert.True(new FileInfo(file).Length > 10_000, "the screenshot is missing or blank");
    }

    /// <summary>Runs Chromium once on <paramref name="page"/> and returns its standard output; killed (and failed) past <see cref="Limit"/>.</summary>
    public static async Task<string> RunAsync(string action, Uri page, params string[] more)
    {
        var chromium = Path ?? throw new InvalidOperationException("chromium is not installed (.ci/run installs it)");
        var profile = Directory.CreateTempSubdirectory("geodns-chromium-").FullName;
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["TZ"] = TimeZone },
        };
        foreach (var argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", "--virtual-time-budget=5000", .. more, action, page.ToString()])
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish within {Limit.TotalSeconds} s: {await errors}");
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { /* chromium's helpers may still hold a file: leave it to the temp cleaner */ }
        }
        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {await errors}");
        return await output;
    }
}
