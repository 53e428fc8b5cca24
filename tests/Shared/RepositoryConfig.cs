using System.Text.RegularExpressions;

namespace GeoDns.Testing;

/// <summary>The config files the repository ships or writes: examples under deploy/, and the ones deploy/lab/up.sh writes with a here-document.</summary>
public static partial class RepositoryConfig
{
    public static string Root { get; } = Path.GetDirectoryName(Path.GetDirectoryName(ConfigurationDoc.FullPath))!;

    public static string File(string relative) => Path.Combine(Root, relative);

    /// <summary>
    /// The here-documents of <paramref name="script"/> written to a file whose name ends in <paramref name="fileName"/>,
    /// with each shell expansion (<c>$LAB</c>, <c>${POOL}</c>, <c>$((i + 1))</c>) replaced by a plain word, so the JSON can be loaded.
    /// </summary>
    /// <param name="values">What some expansions stand for (<c>$POOL</c> → a name), where "1" would not do; the rest become "1".</param>
    public static IReadOnlyList<string> HereDocuments(string script, string fileName, IReadOnlyDictionary<string, string>? values = null) =>
        [.. HereDocument().Matches(System.IO.File.ReadAllText(File(script)))
            .Where(m => m.Groups["file"].Value.EndsWith(fileName, StringComparison.Ordinal))
            .Select(m => Expansion().Replace(m.Groups["body"].Value, e => values?.GetValueOrDefault(e.Value) ?? "1"))];

    [GeneratedRegex(@"cat >""?(?<file>[^""\s]+)""? <<(?<end>[A-Z]+)\n(?<body>.*?)\n\k<end>\n", RegexOptions.Singleline)]
    private static partial Regex HereDocument();

    [GeneratedRegex(@"\$\(\([^)]*\)\)|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Expansion();
}
