using GeoDns.Fuzz;

namespace GeoDns.Tests.Fuzzing;

/// <summary>
/// Every seed of fuzz/corpus through its target in process, as AFL++ runs them (bench/fuzz.sh), so CI checks the
/// corpus and the harness without AFL: a seed that throws here is a crash the fuzzer would report at its start.
/// </summary>
public sealed class CorpusReplayTests
{
    public static TheoryData<string, string> Seeds()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in FuzzTargets.All.Keys)
            foreach (var file in Directory.GetFiles(Path.Combine(Corpus, target)).Order())
                data.Add(target, Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Seed_RunsThroughItsTarget_WithoutException(string target, string seed)
    {
        _ = FuzzTargets.All[target](File.ReadAllBytes(Path.Combine(Corpus, target, seed)));
    }

    [Fact]
    public void Corpus_HoldsSeedsForEveryTarget_AndNoStrayFolder()
    {
        Assert.Equal(FuzzTargets.All.Keys.Order(), Directory.GetDirectories(Corpus).Select(Path.GetFileName).Order()!);
        Assert.All(FuzzTargets.All.Keys, t => Assert.NotEmpty(Directory.GetFiles(Path.Combine(Corpus, t))));
    }

    /// <summary>The seeds that get past the parsers into the code behind them: a corpus of rejects would fuzz only the first checks.</summary>
    [Theory]
    [InlineData("zone", "example.com.zone")]
    [InlineData("zone", "types.zone")]
    [InlineData("config", "example.json")]
    [InlineData("config", "exchange.json")]
    [InlineData("transfer", "axfr")]
    [InlineData("transfer", "ixfr")]
    public void Seed_IsAccepted(string target, string seed) =>
        Assert.Equal("", FuzzTargets.All[target](File.ReadAllBytes(Path.Combine(Corpus, target, seed))));

    private static string Corpus => FuzzFolders.Corpus;
}
