using System.Text.RegularExpressions;

namespace GeoDns.Tests;

/// <summary>
/// Comments give reasons, never this project's issue numbers: a reader has the code, not the tracker, and a
/// number says nothing once the thread is closed or moved. Scans every source, script and config file under
/// src/, tests/, deploy/, bench/ and fuzz/ (every line, not only comments: a string that cites an issue is no
/// better) for an issue number, "the issue" in brackets, or "see/fixes/closes" followed by a number. Another project's
/// issue stays welcome when it names its repository (owner/repo#N, or owner/repo issue N).
/// </summary>
public sealed partial class IssueReferenceCommentTests
{
    private static readonly string[] Folders = ["src", "tests", "deploy", "bench", "fuzz"];

    private static readonly HashSet<string> SourceExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".cs", ".csproj", ".props", ".targets", ".sh", ".py", ".c", ".h", ".js", ".html", ".css", ".json",
        ".yml", ".yaml", ".toml", ".conf", ".service", ".timer", ".template", ".nft", ".case", ".zone", ".txt",
    };

    /// <summary>Build output, and the fuzzers' inputs: data, not text anyone wrote.</summary>
    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.Ordinal) { "bin", "obj", "corpus", "findings", ".git" };

    [Fact]
    public void Sources_CiteNoIssueNumbers()
    {
        var root = ArchitectureTests.RepositoryRoot();
        var hits = new List<string>();
        foreach (var file in Folders.Select(f => Path.Combine(root, f)).Where(Directory.Exists).SelectMany(SourceFiles))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
                if (IssueReference().Match(lines[i]) is { Success: true } hit)
                    hits.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: '{hit.Value}': state the reason or the target itself");
        }
        Assert.True(hits.Count == 0, string.Join("\n", hits));
    }

    private static IEnumerable<string> SourceFiles(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory))
            if (SourceExtensions.Contains(Path.GetExtension(file)) || IsScriptWithoutExtension(file)) yield return file;
        foreach (var sub in Directory.EnumerateDirectories(directory))
            if (!SkippedDirectories.Contains(Path.GetFileName(sub)))
                foreach (var file in SourceFiles(sub)) yield return file;
    }

    /// <summary>Dockerfile, and the hooks and tools written as scripts without an extension (they start with #!).</summary>
    private static bool IsScriptWithoutExtension(string file)
    {
        if (Path.GetExtension(file) != "") return false;
        if (Path.GetFileName(file) == "Dockerfile") return true;
        using var reader = new StreamReader(file);
        var start = new char[2];
        return reader.ReadBlock(start, 0, 2) == 2 && start is ['#', '!'];
    }

    [GeneratedRegex(@"(?<![\w.-]+/[\w.-]+\s*)\bissues?\s*#?\s*\d+|\(the issue\)|\b(?:see|fix(?:es|ed)?|clos(?:es|ed)|resolv(?:es|ed)|refs?)\s+#\d+", RegexOptions.IgnoreCase)]
    private static partial Regex IssueReference();
}
