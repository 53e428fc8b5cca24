namespace GeoDns.Tests.Fuzzing;

/// <summary>Where the seeds (fuzz/corpus) and the fuzzer's past findings (beside these tests) are, read in place.</summary>
internal static class FuzzFolders
{
    public static string Corpus => Path.Combine(Root, "fuzz", "corpus");

    public static string Findings => Path.Combine(Root, "tests", "GeoDns.Tests", "Fuzzing", "Findings");

    private static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "GeoDns.sln"))) return dir.FullName;
            throw new InvalidOperationException("no GeoDns.sln above the test's folder");
        }
    }
}
