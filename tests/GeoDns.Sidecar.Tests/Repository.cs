namespace GeoDns.Sidecar.Tests;

/// <summary>Files of this repository (the hooks and templates under deploy/), found from the test's output directory.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string File(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "GeoDns.sln"))) return directory.FullName;
        throw new InvalidOperationException($"no GeoDns.sln above {AppContext.BaseDirectory}");
    }
}
