using System.Text.RegularExpressions;
using GeoDns.Sidecar.Cli;
using GeoDns.Testing;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// docs/configuration.md against the sidecar's loaders, both ways: every key <see cref="SidecarOptions.Load"/> binds is
/// documented, every documented key is bound, with its type and literal default (<see cref="ConfigurationDocCheck"/>
/// says which defaults are checked); and the commands and options against the command line's tree (<see cref="SidecarCommandLine"/>).
/// </summary>
public sealed class ConfigurationDocTests
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
        var cli = new SidecarCommandLine();
        var commands = cli.Commands.Select(cli.Synopsis).ToHashSet();

        AssertNone(commands.Where(c => !documented.Contains(c)).Select(c => $"{c}: undocumented (the command line has it)")
            .Concat(rows.Where(r => !commands.Contains(r.Key)).Select(r => $"{r}: documented but not in the command line"))
            .Concat(rows.SelectMany(Forms).Where(f => cli.Parse(f.Args).Errors.Count > 0)
                .Select(f => $"{f.Row}: documented but not accepted by the command line as '{string.Join(' ', f.Args)}'")));
    }

    [Fact]
    public void ConfigurationDoc_ListsEverySidecarOption()
    {
        var rows = ConfigurationDoc.Rows(CommandLineSection, "option");
        var documented = rows.Select(r => r.Key).ToHashSet();
        var cli = new SidecarCommandLine();
        var options = cli.Root.Options.Select(o => o.Name).ToHashSet();

        AssertNone(options.Where(o => !documented.Contains(o)).Select(o => $"{o}: undocumented (the command line takes it before every command)")
            .Concat(rows.Where(r => !options.Contains(r.Key)).Select(r => $"{r}: documented but not in the command line"))
            .Concat(rows.Where(r => !Accepted(cli, r)).Select(r => $"{r}: documented but not accepted by the command line")));
    }

    /// <summary>A documented command as arguments, placeholders (upper case) given a value: with its optional part and without.</summary>
    private static IEnumerable<(DocRow Row, string[] Args)> Forms(DocRow row)
    {
        string[] Words(string text) => [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Any(char.IsLower) ? w : "1s")];
        yield return (row, Words(row.Key.Replace("[", "").Replace("]", "")));
        if (row.Key.Contains('[')) yield return (row, Words(Regex.Replace(row.Key, @"\[[^\]]*\]", "")));
    }

    /// <summary>Whether the command line takes the option with its documented value before a command; --help and --version stand alone.</summary>
    private static bool Accepted(SidecarCommandLine cli, DocRow row)
    {
        var value = ConfigurationDoc.Literal(row.Cell("value"));
        var args = row.Key is "--help" or "--version" ? [row.Key] : value is null ? new[] { row.Key, "status" } : [row.Key, value, "status"];
        return cli.Parse(args).Errors.Count == 0;
    }

    private static void AssertNone(IEnumerable<string> problems)
    {
        var list = problems.ToList();
        Assert.True(list.Count == 0, $"{ConfigurationDoc.RelativePath} and the code disagree:\n" + string.Join("\n", list));
    }
}
