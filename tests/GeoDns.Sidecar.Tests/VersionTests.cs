using System.Text.RegularExpressions;

namespace GeoDns.Sidecar.Tests;

/// <summary>What the sidecar says about itself: its version, and its times in the one format both programs use.</summary>
public sealed partial class VersionTests
{
    [Fact]
    public async Task Version_PrintsNameAndVersion_ExitsZero()
    {
        var built = Path.Combine(AppContext.BaseDirectory, "GeoDns.Sidecar.dll");

        var run = await Script.RunAsync("dotnet", [built, "--version"], TimeSpan.FromSeconds(60));

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Matches(Expected(), run.Stdout);
    }

    [Fact]
    public void Timestamp_Iso8601WithOffset_AsTheLogsAndTheJson()
    {
        var time = DateTimeOffset.Parse("2026-03-01T12:00:05+01:00", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal("2026-03-01T12:00:05+01:00", Timestamp.Text(time));
        Assert.Equal("2026-03-01T11:00:05+00:00", Timestamp.Text(time.ToUniversalTime()));
        // The JSON the sidecar's endpoint and the server's API write: the same date, time and offset form.
        Assert.StartsWith("\"2026-03-01T11:00:05+00:00", System.Text.Json.JsonSerializer.Serialize(time.ToUniversalTime()));
    }

    /// <summary>"geodns-sidecar 0.9.0+1a2b3c4": the version Directory.Build.props sets, and the commit when built from git.</summary>
    public static string Expected()
    {
        var version = Regex.Match(File.ReadAllText(Repository.File("Directory.Build.props")), "<Version>([^<]+)</Version>").Groups[1].Value;
        Assert.NotEqual("", version);
        return $@"^geodns-sidecar {Regex.Escape(version)}(\+[0-9a-f]{{7}})?\n$";
    }
}
