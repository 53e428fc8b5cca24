using System.Reflection;
using System.Text.RegularExpressions;
using GeoDns.Server;
using GeoDns.Server.Admin;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// docs/configuration.md against the server's loaders, both ways: every key the config loader binds is documented,
/// every documented key is bound, with its type and literal default (<see cref="ConfigurationDocCheck"/> says which
/// defaults are checked); and the command-line table against what <see cref="CommandLine"/> accepts.
/// </summary>
public sealed partial class ConfigurationDocTests
{
    private const string ConfigSection = "Server config file";
    private const string CommandLineSection = "Server command line";

    private static readonly IReadOnlyList<BoundKey> Keys = BoundKeys.Of(typeof(ServerOptions), ConfigFile.Json);

    private static IReadOnlyList<DocRow> ConfigRows => ConfigurationDoc.Rows(ConfigSection, "key");

    [Fact]
    public void ConfigurationDoc_ListsEveryServerKey() =>
        AssertNone(ConfigurationDocCheck.Keys(ConfigRows, Keys, ConfigSection));

    /// <summary>A computed property the serializer sees would take its key without an error and without effect: it must be [JsonIgnore].</summary>
    [Fact]
    public void ServerConfigLoader_IgnoresNoKeySilently() =>
        AssertNone(BoundKeys.SilentlyIgnored(typeof(ServerOptions), ConfigFile.Json).Select(k => $"{k}: accepted by the config loader but never set (mark the property [JsonIgnore])"));

    [Fact]
    public void ConfigurationDoc_ServerTypes_MatchTheOptionsClasses() =>
        AssertNone(ConfigurationDocCheck.Types(ConfigRows, Keys));

    [Fact]
    public void ConfigurationDoc_ServerDefaults_MatchTheOptionsClasses() =>
        AssertNone(ConfigurationDocCheck.Defaults(ConfigRows, Keys, ConfigFile.Json));

    [Fact]
    public void ConfigurationDoc_ServerReloadColumn_IsYesOrRestart() =>
        AssertNone(ConfigRows.Where(r => r.Cell("reload") is not ("yes" or "restart")).Select(r => $"{r}: reload '{r.Cell("reload")}' is neither yes nor restart"));

    /// <summary>The keys a reload warns about (<see cref="ServerOptions.RestartNeeded"/>) are the ones documented as restart, and no others.</summary>
    [Fact]
    public void ConfigurationDoc_ServerRestartKeys_AreTheOnesAReloadWarnsAbout()
    {
        using var scratch = new TempDirectory();
        var everythingChanged = ConfigFile.Load(scratch.Write("geodns.json", """
            { "zones": "z", "listen": ["127.0.0.1:1"], "data": "d", "geoDatabase": "g", "admin": "off", "adminToken": "t",
              "reloadDebounce": "1s", "transport": { "udpBatch": 1 }, "startDegraded": true,
              "pools": [{ "name": "p" }], "rrl": { "slip": 3 }, "cookies": { "enabled": false }, "exchange": { "notifyAttempts": 1, "workers": 3, "queue": 64 },
              "name": "ns9", "alerts": { "homeSilentAfter": "1m" } }
            """), out var error);
        Assert.True(everythingChanged is not null, error);
        var warned = ServerOptions.RestartNeeded(new ServerOptions(), everythingChanged).ToHashSet();
        // A section restarted as a whole is warned about by its name; in a section that reloads, a key that does not is named itself.
        static string Section(string key) => Regex.Replace(key, @"[.\[].*$", "");
        var reloaded = ConfigRows.Where(r => r.Cell("reload") == "yes").Select(r => Section(r.Key)).ToHashSet();
        // startDegraded is read at start only, and a reload has nothing to warn about: it does not change what is served.
        var restart = ConfigRows.Where(r => r.Cell("reload") == "restart" && r.Key != "startDegraded")
            .Select(r => reloaded.Contains(Section(r.Key)) ? r.Key : Section(r.Key)).Select(k => k == "adminTokenFile" ? "adminToken" : k).ToHashSet();

        AssertNone(restart.Except(warned).Select(k => $"{k}: documented as restart, but a reload applies it without a warning")
            .Concat(warned.Except(restart).Select(k => $"{k}: a reload warns that it needs a restart, but it is documented as reload yes")));
    }

    [Fact]
    public void ConfigurationDoc_ListsEveryServerOption()
    {
        var rows = ConfigurationDoc.Rows(CommandLineSection, "option");
        var documented = rows.Select(r => r.Key).ToHashSet();
        var help = HelpOption().Matches(CommandLine.Usage).Select(m => m.Groups[1].Value).ToHashSet();
        // The options CommandLine.Parse looks up by name (the switches it tests one by one are in --help).
        var parsed = (string[])typeof(CommandLine).GetField("Options", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;

        AssertNone(help.Concat(parsed).Distinct().Where(o => !documented.Contains(o)).Select(o => $"{o}: undocumented (--help lists it)")
            .Concat(rows.Where(r => !help.Contains(r.Key)).Select(r => $"{r}: documented but not in --help"))
            .Concat(rows.Where(r => !Accepted(r)).Select(r => $"{r}: documented but not accepted by the command line")));
    }

    [Fact]
    public void ConfigurationDoc_ListsTheAdminTokenVariable() =>
        Assert.Contains(AdminSettings.TokenVariable, ConfigurationDoc.Rows(CommandLineSection, "variable").Select(r => r.Key));

    /// <summary>Whether CommandLine.Parse takes the option (with its documented value); Program.cs takes --version and --check before it.</summary>
    private static bool Accepted(DocRow row)
    {
        if (row.Key is "--version" or "--check") return true;
        var value = ConfigurationDoc.Literal(row.Cell("value"));
        CommandLine.Parse(value is null ? [row.Key] : [row.Key, value], out var error);
        return !error.Contains("unknown option", StringComparison.Ordinal) && !error.Contains("needs a value", StringComparison.Ordinal);
    }

    private static void AssertNone(IEnumerable<string> problems)
    {
        var list = problems.ToList();
        Assert.True(list.Count == 0, $"{ConfigurationDoc.RelativePath} and the code disagree:\n" + string.Join("\n", list));
    }

    [GeneratedRegex(@"^  (--[a-z-]+)", RegexOptions.Multiline)]
    private static partial Regex HelpOption();
}
