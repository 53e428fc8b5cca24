using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace GeoDns.Configuration;

/// <summary>
/// Durations in the config files as people write them: <c>5</c> (seconds), <c>"5s"</c>, <c>"1500ms"</c>,
/// <c>"3h"</c>, <c>"00:00:05"</c>. One source file compiled into the server and the sidecar (src/Shared),
/// which share no project: the sidecar runs at home and does not ship the server.
/// </summary>
public sealed partial class DurationConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
            return reader.TryGetDouble(out var number) && Within(TimeSpan.FromSeconds, number, out var seconds)
                ? seconds
                : throw new JsonException($"{number} seconds is not a duration (at most {TimeSpan.MaxValue.TotalSeconds:0} s)");
        var text = reader.GetString() ?? "";
        return TryParse(text, out var span) ? span : throw new JsonException($"'{text}' is not a duration (write e.g. 5s, 1500ms, 3h)");
    }

    /// <summary>"5s", "1500ms", "3h", "2d", a bare number of seconds, or "hh:mm:ss".</summary>
    public static bool TryParse(string text, out TimeSpan span)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)) return Within(TimeSpan.FromSeconds, seconds, out span);
        var unit = WithUnit().Match(text);
        if (!unit.Success) return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out span);
        var value = double.Parse(unit.Groups[1].Value, CultureInfo.InvariantCulture);
        return Within(unit.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds,
            "s" => TimeSpan.FromSeconds,
            "m" => TimeSpan.FromMinutes,
            "h" => TimeSpan.FromHours,
            _ => TimeSpan.FromDays,
        }, value, out span);
    }

    /// <summary>
    /// TimeSpan.From* throws past about 29,000 years (OverflowException) and for NaN (ArgumentException): such a value
    /// is no duration, and must read as a config error naming the file and line, not an exception out of the loader.
    /// </summary>
    private static bool Within(Func<double, TimeSpan> from, double value, out TimeSpan span)
    {
        try
        {
            span = from(value);
            return true;
        }
        catch (Exception e) when (e is OverflowException or ArgumentException)
        {
            span = default;
            return false;
        }
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue($"{value.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s");

    [GeneratedRegex(@"^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h|d)\s*$")]
    private static partial Regex WithUnit();
}
