using System.Text.RegularExpressions;
using GeoDns.Testing;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// docs/configuration.md against the sidecar's loaders, both ways: every key <see cref="SidecarOptions.Load"/> binds is
/// documented, every documented key is bound, with its type and literal default (<see cref="ConfigurationDocCheck"/>
/// says which defaults are checked); and the commands and options against <see cref="Invocation"/>.
/// </summary>
public sealed partial class ConfigurationDocTests
{
    private const string ConfigSection = "Sidecar config file";
    private const string CommandLineSection = "Sidecar command line";

    private static readonly IReadOnlyList<BoundKey> Keys = BoundKeys.Of(typeof(SidecarOptions), SidecarOptions.Json);

    private static IReadOnlyList<DocRow> ConfigRows => ConfigurationDoc.Rows(ConfigSection, "key");

    [Fact]
    public void ConfigurationDoc_ListsEverySidecarKey() =>
        AssertNone(ConfigurationDocCheck.Keys(ConfigRows, Keys, ConfigSection));

    /// <summary>A computed property the serializer sees would take its key without an error and without effect: it must be [JsonIgnore].</summary>
    [Fact]
    public void SidecarConfigLoader_IgnoresNoKeySilently() =>
        AssertNone(BoundKeys.SilentlyIgnored(typeof(SidecarOptions), SidecarOptions.Json).Select(k => $"{k}: accepted by the config loader but never set (mark the property [JsonIgnore])"));

    [Fact]
    public void ConfigurationDoc_SidecarTypes_MatchTheOptionsClasses() =>
        AssertNone(ConfigurationDocCheck.Types(ConfigRows, Keys));

    [Fact]
    public void ConfigurationDoc_SidecarDefaults_MatchTheOptionsClasses() =>
        AssertNone(ConfigurationDocCheck.Defaults(ConfigRows, Keys, SidecarOptions.Json));

    [Fact]
    public void ConfigurationDoc_ListsEverySidecarCommand()
    {
        var rows = ConfigurationDoc.Rows(CommandLineSection, "command");
        var documented = rows.Select(r => r.Key).ToHashSet();
        var usage = UsageCommand().Matches(Invocation.Usage).Select(m => m.Groups[1].Value).ToHashSet();

        AssertNone(usage.Where(c => !documented.Contains(c)).Select(c => $"{c}: undocumented (--help lists it)")
            .Concat(rows.Where(r => !usage.Contains(r.Key)).Select(r => $"{r}: documented but not in --help"))
            .Concat(rows.SelectMany(Forms).Where(f => Invocation.Parse(f.Args, out _) is null)
                .Select(f => $"{f.Row}: documented but not accepted by the command line as '{string.Join(' ', f.Args)}'")));
    }

    [Fact]
    public void ConfigurationDoc_ListsEverySidecarOption()
    {
        var rows = ConfigurationDoc.Rows(CommandLineSection, "option");
        var documented = rows.Select(r => r.Key).ToHashSet();
        var usage = UsageOption().Matches(Invocation.Usage).Select(m => m.Groups[1].Value).ToHashSet();

        AssertNone(usage.Where(o => !documented.Contains(o)).Select(o => $"{o}: undocumented (--help lists it)")
            .Concat(rows.Where(r => !usage.Contains(r.Key)).Select(r => $"{r}: documented but not in --help"))
            .Concat(rows.Where(r => !Accepted(r)).Select(r => $"{r}: documented but not accepted by the command line")));
    }

    /// <summary>A documented command as arguments, placeholders (upper case) given a value: with its optional part and without.</summary>
    private static IEnumerable<(DocRow Row, string[] Args)> Forms(DocRow row)
    {
        string[] Words(string text) => [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Any(char.IsLower) ? w : "1s")];
        yield return (row, Words(row.Key.Replace("[", "").Replace("]", "")));
        if (row.Key.Contains('[')) yield return (row, Words(Regex.Replace(row.Key, @"\[[^\]]*\]", "")));
    }

    /// <summary>Whether Invocation.Parse takes the option (with its documented value) before a command; Program.cs takes a lone --version before it.</summary>
    private static bool Accepted(DocRow row)
    {
        if (row.Key == "--version") return true;
        var value = ConfigurationDoc.Literal(row.Cell("value"));
        var args = value is null ? new[] { row.Key, "status" } : [row.Key, value, "status"];
        return Invocation.Parse(args, out var error) is not null || error == "";
    }

    private static void AssertNone(IEnumerable<string> problems)
    {
        var list = problems.ToList();
        Assert.True(list.Count == 0, $"{ConfigurationDoc.RelativePath} and the code disagree:\n" + string.Join("\n", list));
    }

    /// <summary>A usage line indented by two spaces that starts with a lower-case word; the command runs to two spaces or the line's end.</summary>
    [GeneratedRegex(@"^  ([a-z][^\s]*(?: \S+)*?)(?:\s{2,}.*)?$", RegexOptions.Multiline)]
    private static partial Regex UsageCommand();

    [GeneratedRegex(@"^  (--[a-z-]+)", RegexOptions.Multiline)]
    private static partial Regex UsageOption();
}
