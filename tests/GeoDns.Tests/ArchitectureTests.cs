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
        var violations = new List<string>();
        foreach (var folder in EngineFolders())
        {
            Assert.True(Allowed.ContainsKey(folder), $"new folder src/GeoDns/{folder}: add it to {nameof(Allowed)}");
            foreach (var (file, used) in Uses(folder))
                if (!Allowed[folder].Contains(used)) violations.Add($"{Path.GetFileName(file)} ({folder}) uses {used}");
        }
        Assert.Empty(violations);
    }

    /// <summary>The folders of the engine, each one namespace (<c>GeoDns.Answering</c> is src/GeoDns/Answering).</summary>
    internal static IEnumerable<string> EngineFolders() =>
        Directory.GetDirectories(EngineRoot()).Select(d => Path.GetFileName(d)!).Where(f => f is not ("bin" or "obj")).Order(StringComparer.Ordinal);

    /// <summary>The other namespaces <paramref name="folder"/>'s code names: <c>using GeoDns.X</c>, qualified names, even
    /// names in its comments (a comment that points at a namespace is a dependency a reader follows).</summary>
    internal static SortedSet<string> NamespacesUsedBy(string folder) => new(Uses(folder).Select(u => u.Namespace), StringComparer.Ordinal);

    internal static string EngineRoot() => Path.Combine(RepositoryRoot(), "src", "GeoDns");

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GeoDns.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("GeoDns.sln not found above the test binaries");
    }

    private static IEnumerable<(string File, string Namespace)> Uses(string folder)
    {
        foreach (var file in Directory.GetFiles(Path.Combine(EngineRoot(), folder), "*.cs", SearchOption.AllDirectories))
            foreach (Match use in EngineNamespace().Matches(File.ReadAllText(file)))
                if (use.Groups[1].Value != folder) yield return (file, use.Groups[1].Value);
    }

    [GeneratedRegex(@"\bGeoDns\.(\w+)\b")]
    private static partial Regex EngineNamespace();
}
