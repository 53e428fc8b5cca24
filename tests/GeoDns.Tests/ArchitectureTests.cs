using System.Text.RegularExpressions;

namespace GeoDns.Tests;

/// <summary>Keeps the engine's dependency direction: each folder may use only the namespaces listed.</summary>
public sealed partial class ArchitectureTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Protocol"] = [],
        ["Health"] = [],
        ["Geo"] = [],
        // Storage: the LiteDB file with its lock (src/Shared/Storage, linked in, shared with the sidecar).
        ["Persistence"] = ["Protocol", "Health", "Pools", "Storage", "Files"],
        ["Zones"] = ["Protocol", "Memory", "Files"],
        ["Pools"] = ["Protocol", "Zones", "Health"],
        ["Answering"] = ["Protocol", "Zones", "Pools", "Geo", "Health", "Diagnostics", "RateLimiting", "Cookies", "Memory"],
        // RateLimiting: its LogCap, so a flood of bad packets cannot become a flood of log lines.
        ["Transport"] = ["Protocol", "Answering", "Diagnostics", "RateLimiting"],
        // Turns zones, pools, health and geo into the snapshot answering reads.
        ["Publishing"] = ["Protocol", "Zones", "Pools", "Health", "Geo", "Answering", "Diagnostics"], // Diagnostics: its own CPU per lane
        ["Tsig"] = ["Protocol", "Files"],
        ["Updates"] = ["Protocol", "Zones"],
        // Off the hot path: transfers, NOTIFY and UPDATE, handed over by Answering through IMessageExchange.
        // Files: damaged journals and copies moved aside; RateLimiting: LogCap for per-packet warnings; Publishing: the composer the publisher calls.
        ["Transfer"] = ["Protocol", "Zones", "Pools", "Answering", "Tsig", "Updates", "Files", "RateLimiting", "Publishing"],
        // Counters fed from the query path: a leaf, so Answering and Transport can count without a cycle.
        ["Diagnostics"] = ["Protocol"],
        // Response rate limiting: a leaf the responder consults.
        ["RateLimiting"] = [],
        // DNS Cookies (RFC 7873, RFC 9018): a leaf the responder consults.
        ["Cookies"] = ["Files"],
        // Why a file cannot be read, in words that lead to the fix: a leaf.
        ["Files"] = [],
        // Paces the collector through large builds: a leaf.
        ["Memory"] = [],
    };

    [Fact]
    public void Engine_FoldersUseOnlyTheNamespacesBelowThem()
    {
        var engine = Path.Combine(RepositoryRoot(), "src", "GeoDns");
        var violations = new List<string>();
        foreach (var folder in Directory.GetDirectories(engine).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")))
        {
            Assert.True(Allowed.ContainsKey(folder!), $"new folder src/GeoDns/{folder}: add it to {nameof(Allowed)}");
            foreach (var file in Directory.GetFiles(Path.Combine(engine, folder!), "*.cs", SearchOption.AllDirectories))
                foreach (Match use in EngineNamespace().Matches(File.ReadAllText(file)))
                {
                    var used = use.Groups[1].Value;
                    if (used != folder && !Allowed[folder!].Contains(used)) violations.Add($"{Path.GetFileName(file)} ({folder}) uses {used}");
                }
        }
        Assert.Empty(violations);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GeoDns.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("GeoDns.sln not found above the test binaries");
    }

    [GeneratedRegex(@"\bGeoDns\.(\w+)\b")]
    private static partial Regex EngineNamespace();
}
