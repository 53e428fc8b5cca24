using GeoDns.Fuzz;

namespace GeoDns.Tests.Fuzzing;

/// <summary>
/// Every input the fuzzer reported as a crash (Findings/TARGET/, copied from bench/fuzz.sh's crashes folder), fed
/// to the same target: each must now end as an error value, not an exception. A new finding is one file more here.
/// </summary>
public sealed class FindingsReplayTests
{
    public static TheoryData<string, string> Findings()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in Directory.GetDirectories(FuzzFolders.Findings).Order())
            foreach (var file in Directory.GetFiles(folder).Order())
                data.Add(Path.GetFileName(folder), Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Findings))]
    public void Finding_IsAnErrorValue(string target, string finding)
    {
        var outcome = FuzzTargets.All[target](File.ReadAllBytes(Path.Combine(FuzzFolders.Findings, target, finding)));

        Assert.NotEqual("", outcome);
    }
}
