using System.Text.RegularExpressions;

namespace GeoDns.Tests;

/// <summary>
/// Each engine folder has a short README, as each CoreDNS plugin has: <c># Folder</c>, what lives there, a
/// <c>**Uses:**</c> line and a <c>**Entry points:**</c> line. The <c>**Uses:**</c> line names, each in backticks,
/// exactly the engine namespaces the folder's code uses (as <see cref="ArchitectureTests"/> reads them), so a
/// README cannot go stale on its dependencies: a new <c>using</c> fails here until the README says it.
/// </summary>
public sealed partial class EngineReadmeTests
{
    [Fact]
    public void EngineFolder_HasReadme_OfTenToTwentyLinesInTheFixedShape()
    {
        var problems = new List<string>();
        foreach (var folder in ArchitectureTests.EngineFolders())
        {
            var path = Path.Combine(ArchitectureTests.EngineRoot(), folder, "README.md");
            if (!File.Exists(path))
            {
                problems.Add($"src/GeoDns/{folder}/README.md is missing");
                continue;
            }
            var lines = File.ReadAllLines(path);
            if (lines.Length is < 10 or > 20) problems.Add($"src/GeoDns/{folder}/README.md has {lines.Length} lines, not 10 to 20");
            if (lines.FirstOrDefault() != $"# {folder}") problems.Add($"src/GeoDns/{folder}/README.md: the first line must be '# {folder}'");
            if (lines.Count(l => l.StartsWith("**Uses:**", StringComparison.Ordinal)) != 1)
                problems.Add($"src/GeoDns/{folder}/README.md: one line must start with '**Uses:**'");
            if (!lines.Any(l => l.StartsWith("**Entry points:**", StringComparison.Ordinal)))
                problems.Add($"src/GeoDns/{folder}/README.md: a line must start with '**Entry points:**'");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void EngineFolder_ReadmeUses_NamesExactlyTheNamespacesItsCodeUses()
    {
        var problems = new List<string>();
        foreach (var folder in ArchitectureTests.EngineFolders())
        {
            var path = Path.Combine(ArchitectureTests.EngineRoot(), folder, "README.md");
            if (!File.Exists(path)) continue; // the test above names it
            var uses = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("**Uses:**", StringComparison.Ordinal));
            if (uses is null) continue;
            var named = new SortedSet<string>(Backticked().Matches(uses).Select(m => m.Groups[1].Value), StringComparer.Ordinal);
            var used = ArchitectureTests.NamespacesUsedBy(folder);
            if (!named.SetEquals(used))
                problems.Add($"src/GeoDns/{folder}/README.md: '**Uses:**' names [{string.Join(", ", named)}] but the code uses [{string.Join(", ", used)}]" +
                    " (write each namespace in backticks, and nothing else in backticks on that line; none: 'nothing else in the engine')");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex Backticked();
}
