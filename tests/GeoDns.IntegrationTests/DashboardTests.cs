using System.Diagnostics;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// The dashboard in a real headless Chromium against the real server: the rendered page (after its
/// scripts have fetched the data) shows every edge in its state. A screenshot is kept as a test
/// artefact: TestResults/dashboard.png beside the test assembly.
/// </summary>
public sealed class DashboardTests
{
    private static readonly TimeSpan ChromiumLimit = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task Dashboard_InHeadlessChromium_ShowsEveryEdgeInItsState()
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        Skip.If(chromium is null, "chromium is not installed (.ci/run installs it)");
        using var edges = new LoopbackEdges(3);
        edges.Stop(2);
        // An HTTPS-probed pool whose edge's certificate has 3 days left: below the default 14, marked.
        await using var tls = new TlsTestServer(TestCertificates.SelfSigned("secure.example.com", TimeSpan.FromDays(3.5)));
        var config = edges.Config().Replace("\"pools\": [", $$"""
            "pools": [{
              "name": "secure.example.com",
              "probe": { "type": "https", "port": {{tls.Port}}, "host": "secure.example.com", "allowInvalidCertificate": true, "interval": "1s", "timeout": "900ms" },
              "edges": [{ "name": "edge-tls", "ipv4": "127.0.0.1" }]
            },
            """);
        await using var server = await TestServer.StartAsync(config: config);
        using (var drain = await server.Http.PutAsync("/v1/edges/edge-2/drain", null)) drain.EnsureSuccessStatusCode();

        var dom = await RunAsync(chromium, "--dump-dom", server.AdminUri);

        Assert.Contains("""data-edge="edge-1" data-address="{0}" data-state="Up" data-drained="false">""".Replace("{0}", edges.Address(0)), dom);
        Assert.Contains("""data-edge="edge-2" data-address="{0}" data-state="Up" data-drained="true">""".Replace("{0}", edges.Address(1)), dom);
        Assert.Contains("""data-edge="edge-3" data-address="{0}" data-state="Down" data-drained="false">""".Replace("{0}", edges.Address(2)), dom);
        Assert.Contains("app.example.com", dom);
        Assert.Contains("connection refused", dom); // the last probe of edge-3, and its transition
        Assert.Contains("""<td data-certificate-days="3" data-certificate-low="true"><span class="cert low" title="certificate: warning below 14 days">3 days</span></td>""", dom);

        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);
        await RunAsync(chromium, $"--screenshot={screenshot}", server.AdminUri, "--window-size=1200,800");
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is missing or blank");
    }

    /// <summary>Runs Chromium once on <paramref name="page"/> and returns its standard output; killed (and failed) past <see cref="ChromiumLimit"/>.</summary>
    private static async Task<string> RunAsync(string chromium, string action, Uri page, params string[] more)
    {
        var profile = Directory.CreateTempSubdirectory("geodns-chromium-").FullName;
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", "--virtual-time-budget=5000", .. more, action, page.ToString()])
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(ChromiumLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish within {ChromiumLimit.TotalSeconds} s: {await errors}");
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { /* chromium's helpers may still hold a file: leave it to the temp cleaner */ }
        }
        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {await errors}");
        return await output;
    }
}
