using System.Globalization;
using System.Text.RegularExpressions;

namespace GeoDns.IntegrationTests;

/// <summary>
/// A strict reader of the Prometheus text format (0.0.4), enough to hold /metrics to it: HELP and TYPE
/// lines, each family typed once and before its samples, sample syntax and escapes, and histograms
/// whose buckets are cumulative and end in +Inf equal to _count. Throws FormatException naming the line.
/// </summary>
public static partial class PrometheusText
{
    private static readonly string[] Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    public static (IReadOnlyDictionary<string, string> Types, IReadOnlyList<MetricSample> Samples) Parse(string text)
    {
        var types = new Dictionary<string, string>();
        var samples = new List<MetricSample>();
        var lines = text.Split('\n');
        if (lines[^1] != "") throw new FormatException("the exposition must end with a newline");
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var line = lines[i];
            string Where() => $"line {i + 1}: '{line}'";
            if (line.StartsWith("# TYPE "))
            {
                var parts = line.Split(' ');
                if (parts.Length != 4 || !MetricName().IsMatch(parts[2]) || !Types.Contains(parts[3])) throw new FormatException($"bad TYPE, {Where()}");
                if (!types.TryAdd(parts[2], parts[3])) throw new FormatException($"second TYPE for {parts[2]}, {Where()}");
                if (samples.Any(s => Family(s.Name, types) == parts[2])) throw new FormatException($"TYPE after samples, {Where()}");
            }
            else if (line.StartsWith("# HELP "))
            {
                if (line.Split(' ', 4) is not [_, _, var name, _] || !MetricName().IsMatch(name)) throw new FormatException($"bad HELP, {Where()}");
            }
            else if (line.StartsWith('#') || line == "") continue;
            else
            {
                var sample = Sample(line) ?? throw new FormatException($"bad sample, {Where()}");
                if (!types.ContainsKey(Family(sample.Name, types))) throw new FormatException($"sample before its TYPE, {Where()}");
                samples.Add(sample);
            }
        }
        CheckHistograms(types, samples);
        return (types, samples);
    }

    private static MetricSample? Sample(string line)
    {
        var match = SampleLine().Match(line);
        if (!match.Success) return null;
        var labels = new Dictionary<string, string>();
        var body = match.Groups["labels"].Value;
        var position = 0;
        foreach (Match label in Label().Matches(body))
        {
            if (label.Index != position) return null;
            labels.Add(label.Groups[1].Value, Regex.Unescape(label.Groups[2].Value));
            position = label.Index + label.Length;
        }
        if (position != body.Length) return null;
        var text = match.Groups["value"].Value;
        var value = text switch { "+Inf" => double.PositiveInfinity, "-Inf" => double.NegativeInfinity, "NaN" => double.NaN, _ => double.Parse(text, CultureInfo.InvariantCulture) };
        return new MetricSample(match.Groups["name"].Value, labels, value);
    }

    private static string Family(string name, IReadOnlyDictionary<string, string> types)
    {
        foreach (var suffix in (string[])["_bucket", "_sum", "_count"])
            if (name.EndsWith(suffix) && types.GetValueOrDefault(name[..^suffix.Length]) is "histogram" or "summary") return name[..^suffix.Length];
        return name;
    }

    private static void CheckHistograms(IReadOnlyDictionary<string, string> types, List<MetricSample> samples)
    {
        foreach (var histogram in types.Where(t => t.Value == "histogram").Select(t => t.Key))
            foreach (var series in samples.Where(s => s.Name == histogram + "_bucket").GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").Select(l => $"{l.Key}={l.Value}"))))
            {
                var buckets = series.ToList();
                if (buckets[^1].Labels["le"] != "+Inf") throw new FormatException($"{histogram}{{{series.Key}}}: the last bucket is not +Inf");
                for (var i = 1; i < buckets.Count; i++)
                    if (buckets[i].Value < buckets[i - 1].Value) throw new FormatException($"{histogram}{{{series.Key}}}: buckets are not cumulative");
                var count = samples.Single(s => s.Name == histogram + "_count" && series.First().Labels.Where(l => l.Key != "le").All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value));
                if (count.Value != buckets[^1].Value) throw new FormatException($"{histogram}{{{series.Key}}}: _count is not the +Inf bucket");
            }
    }

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( -?[0-9]+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\\n]|\\[\\""n])*)"",?")]
    private static partial Regex Label();
}
