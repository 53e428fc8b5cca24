using System.Text.Json;

namespace GeoDns.Sidecar.Admin;

/// <summary>
/// One entry of a nameserver's <c>GET /v1/edges</c>, read tolerantly: the edge's <c>state</c>, or
/// when it has none at top level, every per-address <c>state</c> found inside it.
/// </summary>
public sealed record NameserverEdge(string Name, string? Pool, IReadOnlyList<EdgeState> States, bool Drained)
{
    /// <summary>Up on every address: only then may the edge it replaces be drained.</summary>
    public bool IsUp => States.Count > 0 && States.All(s => s == EdgeState.Up);

    /// <summary>Down on every address: the trigger for an automatic rotation.</summary>
    public bool IsDown => States.Count > 0 && States.All(s => s == EdgeState.Down);

    public string Describe() => States.Count == 0 ? "no state" : string.Join("/", States.Distinct());

    /// <summary>The edges in a response body: a JSON array, or an object holding one under "edges" or "items".</summary>
    public static IReadOnlyList<NameserverEdge> ParseList(JsonElement root)
    {
        var list = root.ValueKind == JsonValueKind.Array ? root
            : root.ValueKind == JsonValueKind.Object && (Property(root, "edges") ?? Property(root, "items")) is { ValueKind: JsonValueKind.Array } inner ? inner
            : throw new JsonException($"expected a JSON array of edges, got {root.ValueKind}");
        return list.EnumerateArray().Select(Parse).OfType<NameserverEdge>().ToList();
    }

    public static NameserverEdge? Parse(JsonElement edge)
    {
        if (edge.ValueKind != JsonValueKind.Object || Text(Property(edge, "name")) is not { } name) return null;
        var top = State(Property(edge, "state")) ?? State(Property(edge, "health"));
        var states = top is { } s ? [s] : Nested(edge).ToList();
        var drained = Property(edge, "drained")?.ValueKind == JsonValueKind.True
            || (Property(edge, "override") ?? Property(edge, "overrides")) is { ValueKind: JsonValueKind.Object } o && Property(o, "drained")?.ValueKind == JsonValueKind.True;
        return new NameserverEdge(name, Text(Property(edge, "pool")), states, drained);
    }

    /// <summary>Per-address states, wherever the edge keeps them: any "state" inside it, or a map from address to state.</summary>
    private static IEnumerable<EdgeState> Nested(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array)
            foreach (var item in element.EnumerateArray())
                foreach (var state in Nested(item)) yield return state;
        if (element.ValueKind != JsonValueKind.Object) yield break;
        foreach (var property in element.EnumerateObject())
        {
            var keyed = property.Name.Equals("state", StringComparison.OrdinalIgnoreCase) || System.Net.IPAddress.TryParse(property.Name, out _);
            if (keyed && State(property.Value) is { } state) yield return state;
            foreach (var inner in Nested(property.Value)) yield return inner;
        }
    }

    private static EdgeState? State(JsonElement? value) =>
        value is { ValueKind: JsonValueKind.String } v && v.GetString() is { Length: > 0 } text && char.IsLetter(text[0]) && Enum.TryParse<EdgeState>(text, ignoreCase: true, out var state) ? state : null;

    private static JsonElement? Property(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return property.Value;
        return null;
    }

    private static string? Text(JsonElement? value) => value is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
}
