using System.Text;
using GeoDns.Fuzz;
using GeoDns.Server;
using GeoDns.Testing;

namespace GeoDns.Tests.Fuzzing;

/// <summary>
/// Configs the fuzzer found (bench/fuzz.sh config): a duration past what TimeSpan holds threw OverflowException out of
/// ConfigFile.Load (it catches JSON and file errors only), so the server died at start instead of naming the key.
/// </summary>
public sealed class ConfigFuzzFindingsTests
{
    [Theory]
    [InlineData("\"22222222222222225s\"")] // a string with a unit
    [InlineData("\"1e300\"")] // a string of bare seconds
    [InlineData("3333333333333333333333333")] // a JSON number of seconds
    [InlineData("\"NaN\"")] // TimeSpan refuses NaN with an ArgumentException
    public void HugeDuration_IsAConfigError_NamingFileAndLine(string interval)
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "geodns.json");
        File.WriteAllText(file, $$"""
            {
              "pools": [ { "name": "app.example.com", "probe": { "interval": {{interval}} } } ]
            }
            """);

        var options = CommandLine.Parse(["--config", file], out var error);

        Assert.Null(options);
        Assert.Contains("geodns.json:2:", error);
        Assert.Contains("not a duration", error);
    }

    [Fact]
    public void Harness_HugeDuration_IsAnErrorValue() =>
        Assert.Contains("not a duration", ConfigTarget.Run(Encoding.UTF8.GetBytes("""{ "reloadDebounce": "99999999999d" }""")));
}
