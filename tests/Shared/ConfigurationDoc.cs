using System.Text.RegularExpressions;

namespace GeoDns.Testing;

/// <summary>
/// docs/configuration.md read as data: its markdown tables, each row keyed by the code span in its first cell
/// (<c>| `pools[].probe.interval` | duration | `5s` | yes | ... |</c>), grouped by the level-2 heading above them.
/// </summary>
public static partial class ConfigurationDoc
{
    public const string RelativePath = "docs/configuration.md";

    public static string FullPath { get; } = Find();

    /// <summary>The rows of every table under the level-2 heading <paramref name="section"/> whose first column is headed <paramref name="keyColumn"/>.</summary>
    public static IReadOnlyList<DocRow> Rows(string section, string keyColumn) =>
        Parse(File.ReadAllLines(FullPath)).Where(r => r.Section == section && r.Cells.Keys.First() == keyColumn).ToList();

    /// <summary>Every table row of <paramref name="lines"/>; a first cell without exactly one code span keeps its raw text as the key, so a test can name it.</summary>
    public static IReadOnlyList<DocRow> Parse(IReadOnlyList<string> lines)
    {
        var rows = new List<DocRow>();
        var section = "";
        string[]? header = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("## ", StringComparison.Ordinal)) section = line[3..].Trim();
            if (!line.StartsWith('|'))
            {
                header = null;
                continue;
            }
            var cells = Cells(line);
            if (header is null)
            {
                // A header is the line above the |---|---| separator; a lone line starting with '|' is no table.
                if (i + 1 < lines.Count && Separator().IsMatch(lines[i + 1].Trim()))
                {
                    header = cells;
                    i++;
                }
                continue;
            }
            var byColumn = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var c = 0; c < header.Length; c++) byColumn[header[c]] = c < cells.Length ? cells[c] : "";
            var spans = CodeSpan().Matches(cells[0]);
            rows.Add(new DocRow(section, spans.Count == 1 ? spans[0].Groups[1].Value : cells[0], byColumn, i + 1));
        }
        return rows;
    }

    /// <summary>The literal of a cell that is exactly one code span (<c>`5s`</c>), else null: the cell is prose.</summary>
    public static string? Literal(string cell) => WholeCodeSpan().Match(cell.Trim()) is { Success: true } m ? m.Groups[1].Value : null;

    private static string[] Cells(string line) =>
        [.. line.Trim().Trim('|').Split('|').Select(c => c.Trim())];

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "GeoDns.sln"))) return Path.Combine(directory.FullName, RelativePath);
        throw new InvalidOperationException($"no GeoDns.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")]
    private static partial Regex Separator();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex("^`([^`]*)`$")]
    private static partial Regex WholeCodeSpan();
}
