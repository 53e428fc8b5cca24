namespace GeoDns.Testing;

/// <summary>One row of a reference table in docs/configuration.md: its key (the code span of the first cell), every cell by its column's header, and its line.</summary>
public sealed record DocRow(string Section, string Key, IReadOnlyDictionary<string, string> Cells, int Line)
{
    public string Cell(string column) => Cells.TryGetValue(column, out var cell) ? cell : "";

    public override string ToString() => $"docs/configuration.md:{Line}: {Key}";
}
