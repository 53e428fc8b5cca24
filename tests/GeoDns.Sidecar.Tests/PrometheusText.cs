using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The Prometheus text exposition format (0.0.4) read strictly: every sample belongs to a family TYPE'd before it,
/// a family's samples are together, HELP and TYPE come once, label values use only the three escapes, no series
/// twice. What is off goes into <see cref="Errors"/>, one line each, rather than being skipped.
/// </summary>
public sealed partial class PrometheusText
{
    public sealed record Sample(string Name, string Family, IReadOnlyDictionary<string, string> Labels, double Value);

    private static readonly string[] Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    public Dictionary<string, string> Families { get; } = [];
    public List<Sample> Samples { get; } = [];
    public List<string> Errors { get; } = [];

    /// <summary>Every name a query may use: each family's and each sample's (a histogram's <c>_bucket</c>, say).</summary>
    public IEnumerable<string> Names => Families.Keys.Concat(Samples.Select(s => s.Name)).Distinct();

    public double Value(string name, params (string Name, string Value)[] labels) =>
        Samples.Single(s => s.Name == name && s.Labels.Count == labels.Length && labels.All(l => s.Labels.GetValueOrDefault(l.Name) == l.Value)).Value;

    public static PrometheusText Parse(string text)
    {
        var parsed = new PrometheusText();
        if (!text.EndsWith('\n')) parsed.Errors.Add("the text does not end with a newline");
        var helped = new HashSet<string>();
        var finished = new HashSet<string>();
        var series = new HashSet<string>();
        string? current = null;
        var lines = text.TrimEnd('\n').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var (line, at) = (lines[i], $"line {i + 1}: {lines[i]}");
            if (line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', 4);
                var name = parts.Length > 2 ? parts[2] : "";
                if (parts.Length < 4 || !MetricName().IsMatch(name)) parsed.Errors.Add($"{at}: not `# HELP|TYPE name text`");
                else if (parsed.Samples.Any(s => s.Family == name)) parsed.Errors.Add($"{at}: after the family's samples");
                else if (parts[1] == "HELP" && !helped.Add(name)) parsed.Errors.Add($"{at}: a second HELP");
                else if (parts[1] == "TYPE" && !Types.Contains(parts[3])) parsed.Errors.Add($"{at}: no such type");
                else if (parts[1] == "TYPE" && !parsed.Families.TryAdd(name, parts[3])) parsed.Errors.Add($"{at}: a second TYPE");
                continue;
            }
            if (line.StartsWith('#') || line.Length == 0)
            {
                parsed.Errors.Add($"{at}: neither HELP, TYPE nor a sample");
                continue;
            }
            if (ParseSample(line, parsed.Families, out var error) is not { } sample)
            {
                parsed.Errors.Add($"{at}: {error}");
                continue;
            }
            if (sample.Family != current)
            {
                if (current is not null) finished.Add(current);
                if (finished.Contains(sample.Family)) parsed.Errors.Add($"{at}: family {sample.Family} resumes after another one");
                current = sample.Family;
            }
            if (!series.Add(sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}"))
                parsed.Errors.Add($"{at}: the same series twice");
            parsed.Samples.Add(sample);
        }
        return parsed;
    }

    private static Sample? ParseSample(string line, Dictionary<string, string> families, out string error)
    {
        var name = MetricName().Match(line);
        if (!name.Success || name.Index != 0)
        {
            error = "no metric name";
            return null;
        }
        var family = FamilyOf(name.Value, families);
        if (family is null)
        {
            error = $"{name.Value} has no TYPE before it";
            return null;
        }
        var at = name.Length;
        var labels = new Dictionary<string, string>();
        if (at < line.Length && line[at] == '{' && !ParseLabels(line, ref at, labels, out error)) return null;
        var rest = line[at..].Split(' ', StringSplitOptions.None);
        // One space, the value, and an optional timestamp (never written by these endpoints).
        if (rest is not ["", var text] || !TryValue(text, out var value))
        {
            error = "not `name{labels} value`";
            return null;
        }
        error = "";
        return new Sample(name.Value, family, labels, value);
    }

    private static bool ParseLabels(string line, ref int at, Dictionary<string, string> labels, out string error)
    {
        at++; // {
        while (at < line.Length && line[at] != '}')
        {
            var name = LabelName().Match(line, at);
            if (!name.Success || name.Index != at || at + name.Length + 1 >= line.Length || line[at + name.Length] != '=' || line[at + name.Length + 1] != '"')
            {
                error = $"a label name at column {at + 1}";
                return false;
            }
            at += name.Length + 2;
            var value = new StringBuilder();
            for (; at < line.Length && line[at] != '"'; at++)
            {
                if (line[at] != '\\')
                {
                    value.Append(line[at]);
                    continue;
                }
                at++;
                if (at >= line.Length || line[at] is not ('\\' or '"' or 'n'))
                {
                    error = $"an escape other than \\\\, \\\" and \\n at column {at}";
                    return false;
                }
                value.Append(line[at] == 'n' ? '\n' : line[at]);
            }
            if (at >= line.Length || !labels.TryAdd(name.Value, value.ToString()))
            {
                error = $"label {name.Value}: unterminated or repeated";
                return false;
            }
            at++; // "
            if (at < line.Length && line[at] == ',') at++;
        }
        if (at >= line.Length)
        {
            error = "no closing brace";
            return false;
        }
        at++; // }
        error = "";
        return true;
    }

    private static string? FamilyOf(string name, Dictionary<string, string> families)
    {
        if (families.ContainsKey(name)) return name;
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
            if (name.EndsWith(suffix, StringComparison.Ordinal) && families.GetValueOrDefault(name[..^suffix.Length]) is "histogram" or "summary"
                && (suffix != "_bucket" || families[name[..^suffix.Length]] == "histogram"))
                return name[..^suffix.Length];
        return null;
    }

    private static bool TryValue(string text, out double value)
    {
        value = text switch { "+Inf" => double.PositiveInfinity, "-Inf" => double.NegativeInfinity, "NaN" => double.NaN, _ => 0 };
        return text is "+Inf" or "-Inf" or "NaN" || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    [GeneratedRegex("[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex MetricName();

    [GeneratedRegex("[a-zA-Z_][a-zA-Z0-9_]*")]
    private static partial Regex LabelName();
}
