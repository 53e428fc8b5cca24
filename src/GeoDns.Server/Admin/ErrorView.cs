using System.Text.Json.Serialization;

namespace GeoDns.Server.Admin;

/// <summary>
/// Every refusal and failure of the admin endpoint: <c>{"error": "..."}</c>, plus <c>"errors": [...]</c>, one line per
/// problem, where a validation found several. A type rather than an anonymous object so that the OpenAPI document
/// describes exactly what is sent.
/// </summary>
public sealed record ErrorView(string Error)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Errors { get; init; }
}
