using System.Text.RegularExpressions;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The deployment guide's path is the lab's: every section of docs/deployment.md that is not marked
/// optional is carried out by a step of deploy/lab/up.sh (or checked by a scenario of run.sh), each
/// step names its sections as "guide §N", and every section it names exists. A section added to the
/// guide and left out of the lab, or a lab step renamed away from the guide, fails here.
/// </summary>
public sealed partial class LabFollowsTheGuideTests
{
    [Fact]
    public void EveryRequiredSection_IsCarriedOutByTheLab()
    {
        var sections = Sections();
        var named = Named();

        Assert.True(sections.Count >= 10, $"docs/deployment.md has {sections.Count} numbered sections");
        Assert.All(sections.Where(s => !s.Optional), s => Assert.True(named.Contains(s.Number), $"docs/deployment.md §{s.Number} ({s.Title}) is not optional, and no step of deploy/lab/up.sh or run.sh says \"guide §{s.Number}\""));
    }

    [Fact]
    public void EverySectionTheLabNames_Exists()
    {
        var numbers = Sections().Select(s => s.Number).ToHashSet();

        Assert.All(Named(), n => Assert.True(numbers.Contains(n), $"deploy/lab names guide §{n}, which docs/deployment.md does not have"));
    }

    private static List<(int Number, string Title, bool Optional)> Sections() =>
        Heading().Matches(File.ReadAllText(Repository.File("docs/deployment.md")))
            .Select(m => (int.Parse(m.Groups["n"].Value), m.Groups["title"].Value, m.Groups["title"].Value.Contains("(optional", StringComparison.Ordinal)))
            .ToList();

    private static HashSet<int> Named()
    {
        var lab = File.ReadAllText(Repository.File("deploy/lab/up.sh")) + File.ReadAllText(Repository.File("deploy/lab/run.sh"));
        return GuideReference().Matches(lab).SelectMany(m => SectionNumber().Matches(m.Value)).Select(n => int.Parse(n.Value)).ToHashSet();
    }

    [GeneratedRegex(@"^## (?<n>\d+)\. (?<title>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    /// <summary>"guide §1, §2, §6" as a step or scenario names them.</summary>
    [GeneratedRegex(@"guide §\d+(, §\d+)*")]
    private static partial Regex GuideReference();

    [GeneratedRegex(@"(?<=§)\d+")]
    private static partial Regex SectionNumber();
}
