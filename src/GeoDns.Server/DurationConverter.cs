using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace GeoDns.Server;

/// <summary>Durations in the config as people write them: <c>5</c> (seconds), <c>"5s"</c>, <c>"1500ms"</c>, <c>"3h"</c>, or <c>"00:00:05"</c>.</summary>
public sealed partial class DurationConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number) return TimeSpan.FromSeconds(reader.GetDouble());
        var text = reader.GetString() ?? "";
        var unit = WithUnit().Match(text);
        if (unit.Success)
        {
            var value = double.Parse(unit.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return unit.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                _ => TimeSpan.FromDays(value),
            };
        }
        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var span)
            ? span
            : throw new JsonException($"'{text}' is not a duration (write e.g. 5s, 1500ms, 3h)");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue($"{value.TotalSeconds}s");

    [GeneratedRegex(@"^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h|d)\s*$")]
    private static partial Regex WithUnit();
}
