using System.Text.Json;
using System.Text.RegularExpressions;

namespace GeoDns.Configuration;

/// <summary>
/// A JSON error as the author of the document would want it: the key and what is wrong with it, without the
/// serializer's .NET type names ("could not be mapped to any .NET member contained in type 'GeoDns.Pools.PoolOptions'").
/// For the config files (with file and line) and the admin's request bodies. One source file compiled into the
/// server and the sidecar (src/Shared).
/// </summary>
public static partial class JsonProblem
{
    /// <summary>"FILE:LINE: key: what is wrong".</summary>
    public static string InFile(string path, JsonException e) => $"{path}:{e.LineNumber + 1}: {Describe(e)}";

    /// <summary>"key: what is wrong" (the key as a path: <c>pools[0].allDown</c>), or what is wrong with the whole document.</summary>
    public static string Describe(JsonException e)
    {
        var key = e.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : null;
        var what = NotMapped().IsMatch(e.Message) ? "unknown key"
            : NotConverted().Match(e.Message) is { Success: true } m ? $"not {Kind(m.Groups[1].Value)}"
            : Location().Replace(e.Message, "");
        return key is null ? what : $"{key}: {what}";
    }

    private static string Kind(string type) => type switch
    {
        "System.TimeSpan" => "a duration (write e.g. 5s, 1500ms, 3h)",
        "System.Boolean" => "true or false",
        "System.String" => "a string",
        "System.Int32" or "System.Int64" or "System.UInt16" or "System.UInt32" or "System.Double" => "a number (or out of range)",
        _ when type.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal) => "a list",
        _ when type.StartsWith("System.", StringComparison.Ordinal) => "a valid value",
        _ => Find(type) is { IsEnum: true } e ? $"one of {string.Join(", ", Enum.GetNames(e).Select(n => n.ToLowerInvariant()))}" : "an object",
    };

    private static Type? Find(string name) => AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(name)).FirstOrDefault(t => t is not null);

    [GeneratedRegex(@"could not be mapped to any \.NET member")]
    private static partial Regex NotMapped();

    [GeneratedRegex(@"^The JSON value could not be converted to ([^.]+(?:\.[^ .]+)*)\.")]
    private static partial Regex NotConverted();

    /// <summary>The serializer's " Path: $.x | LineNumber: 0 | BytePositionInLine: 5." tail: the caller gives key and line.</summary>
    [GeneratedRegex(@"\s*(Path: \S*\s*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?$")]
    private static partial Regex Location();
}
