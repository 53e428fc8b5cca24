using System.Text.RegularExpressions;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The README and docs/ as a newcomer reads them: the README stays a front door (short, the two
/// commands on the first screen), nothing outside bench/RESULTS.md carries a dated figure, and every
/// relative link, with its #anchor, leads somewhere that exists.
/// </summary>
public sealed partial class DocsTests
{
    private static readonly string[] Pages =
    [
        "README.md", "bench/README.md", "bench/RESULTS.md", "deploy/README.md", "deploy/package/README.md", "deploy/edge/README.md", "deploy/hooks/README.md", "fuzz/README.md", "zones/README.md",
        .. Directory.GetFiles(Repository.File("docs"), "*.md").Select(f => "docs/" + Path.GetFileName(f)),
        .. Directory.GetDirectories(Repository.File("src/GeoDns")).Select(d => $"src/GeoDns/{Path.GetFileName(d)}/README.md").Where(p => File.Exists(Repository.File(p))),
    ];

    [Fact]
    public void Readme_IsShort_WithTheTwoCommandsOnTheFirstScreen()
    {
        var lines = File.ReadAllLines(Repository.File("README.md"));

        Assert.True(lines.Length <= 250, $"README.md has {lines.Length} lines; reference and guides belong in docs/");
        var firstScreen = string.Join('\n', lines.Take(40));
        Assert.Contains("dotnet run -c Release --project src/GeoDns.Server", firstScreen);
        Assert.Contains("dotnet test", firstScreen);
    }

    [Fact]
    public void OnlyBenchResults_CarriesDatesAndCommits()
    {
        var dated = Pages.Where(p => p != "bench/RESULTS.md")
            .SelectMany(p => File.ReadAllLines(Repository.File(p)).Select((line, i) => (Where: $"{p}:{i + 1}", Line: line)))
            .Where(l => Date().IsMatch(l.Line))
            .Select(l => $"{l.Where}: {l.Line.Trim()}")
            .ToList();

        Assert.True(dated.Count == 0, "measured figures and their dates belong in bench/RESULTS.md:\n" + string.Join('\n', dated));
    }

    [Fact]
    public void EveryRelativeLink_LeadsToAFileAndHeadingThatExist()
    {
        var broken = new List<string>();
        foreach (var page in Pages)
        {
            var text = File.ReadAllText(Repository.File(page));
            foreach (Match link in Link().Matches(WithoutCode(text)))
            {
                var target = link.Groups["target"].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal)) continue;
                var (path, anchor) = target.Split('#', 2) is [var p, var a] ? (p, a) : (target, null);
                var file = path == "" ? Repository.File(page) : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Repository.File(page))!, path));
                if (!File.Exists(file) && !Directory.Exists(file)) broken.Add($"{page}: {target}: no such file");
                else if (anchor is not null && File.Exists(file) && !Anchors(File.ReadAllText(file)).Contains(anchor)) broken.Add($"{page}: {target}: no heading with that anchor");
            }
        }

        Assert.True(broken.Count == 0, string.Join('\n', broken));
    }

    /// <summary>The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered.</summary>
    internal static HashSet<string> Anchors(string markdown)
    {
        var seen = new Dictionary<string, int>();
        var anchors = new HashSet<string>();
        foreach (Match heading in Heading().Matches(WithoutCode(markdown)))
        {
            var slug = Punctuation().Replace(heading.Groups["title"].Value.Trim().ToLowerInvariant(), "").Replace(' ', '-');
            var n = seen.GetValueOrDefault(slug);
            seen[slug] = n + 1;
            anchors.Add(n == 0 ? slug : $"{slug}-{n}");
        }
        return anchors;
    }

    private static string WithoutCode(string markdown) => FencedCode().Replace(markdown, "");

    [GeneratedRegex(@"\b20\d\d-[01]\d-[0-3]\d\b")]
    private static partial Regex Date();

    [GeneratedRegex(@"\[[^\]]*\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^#{1,6} (?<title>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{N}_\- ]")]
    private static partial Regex Punctuation();

    [GeneratedRegex(@"^```.*?^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedCode();
}
