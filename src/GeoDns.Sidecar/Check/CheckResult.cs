using System.Text.Json.Serialization;

namespace GeoDns.Sidecar.Check;

/// <summary>One line of <c>check</c>: what was checked, whether it holds, what was seen, and how to mend it when not.</summary>
public sealed record CheckResult(
    [property: JsonPropertyName("check")] string Check,
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("fix")] string? Fix)
{
    public static CheckResult Pass(string check, string detail) => new(check, true, detail, null);

    public static CheckResult Fail(string check, string detail, string fix) => new(check, false, detail, fix);

    /// <summary><c>ok    WHAT: detail</c> or <c>FAIL  WHAT: what is wrong — fix: how</c>.</summary>
    public string Line() => Ok ? $"ok    {Check}: {Detail}" : $"FAIL  {Check}: {Detail} — fix: {Fix}";
}
