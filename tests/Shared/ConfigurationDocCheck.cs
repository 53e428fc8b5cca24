using System.Collections;
using System.Text.Json;

namespace GeoDns.Testing;

/// <summary>
/// Compares the rows of a section of docs/configuration.md with the keys a config loader binds, both ways, and
/// their documented types and defaults with the options classes. Each problem names the key.
/// </summary>
/// <remarks>
/// Which defaults are checked: a default cell that is exactly one code span (<c>`5s`</c>, <c>`30`</c>, <c>`true`</c>,
/// <c>`tcp`</c>, <c>`[]`</c>) is a literal, read with the loader's own JSON options (so durations are written as in
/// a config file: <c>5s</c>, <c>500ms</c>, <c>3h</c>, <c>1d</c>, <c>00:00:05</c>) and compared with the options class's
/// default; the cell <c>none</c> means null, empty or an empty list; anything else is prose ("number of cores",
/// "the only zone") and is not checked.
/// </remarks>
public static class ConfigurationDocCheck
{
    public static IReadOnlyList<string> Keys(IReadOnlyList<DocRow> rows, IReadOnlyList<BoundKey> keys, string section)
    {
        var problems = new List<string>();
        var documented = rows.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var bound = keys.Select(k => k.Path).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(keys.Where(k => !documented.Contains(k.Path))
            .Select(k => $"{k.Path}: undocumented (the config loader accepts it; add a row under '## {section}' in {ConfigurationDoc.RelativePath})"));
        problems.AddRange(rows.Where(r => !bound.Contains(r.Key))
            .Select(r => $"{r}: documented but not accepted by the config loader"));
        problems.AddRange(rows.GroupBy(r => r.Key).Where(g => g.Count() > 1).Select(g => $"{g.First()}: documented {g.Count()} times"));
        return problems;
    }

    public static IReadOnlyList<string> Types(IReadOnlyList<DocRow> rows, IReadOnlyList<BoundKey> keys)
    {
        var problems = new List<string>();
        foreach (var (row, key) in Pairs(rows, keys))
        {
            var type = Nullable.GetUnderlyingType(key.Type) ?? key.Type;
            var cell = row.Cell("type");
            if (type.IsEnum)
            {
                foreach (var name in Enum.GetNames(type).Select(n => n.ToLowerInvariant()).Where(n => !cell.Contains($"`{n}`", StringComparison.Ordinal)))
                    problems.Add($"{row}: type '{cell}' does not list the value `{name}`");
            }
            else if (!cell.StartsWith(TypeWord(type), StringComparison.Ordinal))
                problems.Add($"{row}: type '{cell}', but the options class has {type.Name} (write '{TypeWord(type)}…')");
        }
        return problems;
    }

    public static IReadOnlyList<string> Defaults(IReadOnlyList<DocRow> rows, IReadOnlyList<BoundKey> keys, JsonSerializerOptions json)
    {
        var problems = new List<string>();
        foreach (var (row, key) in Pairs(rows, keys))
        {
            var cell = row.Cell("default").Trim();
            if (cell == "none")
            {
                if (!Empty(key.Default)) problems.Add($"{row}: documented default none, but the options class defaults to {Show(key.Default, key.Type, json)}");
                continue;
            }
            if (ConfigurationDoc.Literal(cell) is not { } literal) continue; // prose
            object? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize(AsJson(literal, key.Type), key.Type, json);
            }
            catch (JsonException e)
            {
                problems.Add($"{row}: documented default `{literal}` is not a value the config loader reads ({e.Message})");
                continue;
            }
            if (Show(parsed, key.Type, json) != Show(key.Default, key.Type, json))
                problems.Add($"{row}: documented default `{literal}`, but the options class defaults to {Show(key.Default, key.Type, json)}");
        }
        return problems;
    }

    private static IEnumerable<(DocRow Row, BoundKey Key)> Pairs(IReadOnlyList<DocRow> rows, IReadOnlyList<BoundKey> keys) =>
        rows.Join(keys, r => r.Key, k => k.Path, (r, k) => (r, k), StringComparer.Ordinal);

    private static string TypeWord(Type type) => type switch
    {
        _ when type == typeof(TimeSpan) => "duration",
        _ when type == typeof(bool) => "bool",
        _ when type == typeof(string) => "string",
        _ when type == typeof(int) || type == typeof(uint) || type == typeof(long) => "integer",
        _ when type == typeof(double) => "number",
        _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) => "map",
        // A JSON object passed on as it is (the fleet's pool settings, read by the server): free keys, as a map.
        _ when typeof(System.Text.Json.Nodes.JsonObject).IsAssignableFrom(type) => "map",
        _ when typeof(IEnumerable).IsAssignableFrom(type) => "list",
        _ => type.Name,
    };

    /// <summary>A literal as JSON: strings, durations and enums are written bare in the reference, as in prose.</summary>
    private static string AsJson(string literal, Type type)
    {
        var bare = Nullable.GetUnderlyingType(type) ?? type;
        var quoted = bare == typeof(string) || bare == typeof(TimeSpan) || bare.IsEnum;
        return quoted && !literal.StartsWith('"') ? JsonSerializer.Serialize(literal) : literal;
    }

    private static string Show(object? value, Type type, JsonSerializerOptions json) => JsonSerializer.Serialize(value, type, json);

    private static bool Empty(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        ICollection c => c.Count == 0,
        _ => false,
    };
}
