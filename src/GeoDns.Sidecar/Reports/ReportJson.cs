using System.Text.Json;
using System.Text.Json.Serialization;

namespace GeoDns.Sidecar.Reports;

/// <summary>
/// How <c>--json</c> writes a report: camelCase names, enums as their words ("Serving", "Failed"), as the human text
/// prints them, so a script can match either. The property names are the contract: rename one and scripts break.
/// </summary>
public static class ReportJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Writes <paramref name="report"/> as the only document on <paramref name="output"/>.</summary>
    public static void Write<T>(TextWriter output, T report) => output.WriteLine(JsonSerializer.Serialize(report, Options));
}
