using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace GeoDns.Testing;

/// <summary>
/// Every key a config loader accepts, found as System.Text.Json binds them: from the loader's own
/// <see cref="JsonSerializerOptions"/> (its converters, naming and [JsonIgnore]/[JsonPropertyName] as the serializer reads them).
/// </summary>
public static class BoundKeys
{
    /// <summary>
    /// The leaf keys under <paramref name="root"/>: scalars (including anything a converter reads, such as durations and
    /// enums), lists of scalars, and maps whose keys are free (<c>pools[].regions</c>). Objects are walked into
    /// (<c>transport.</c>), lists of objects too (<c>pools[].</c>). A property without a setter is skipped: the
    /// serializer never writes it, so it is no key (<see cref="SilentlyIgnored"/>).
    /// </summary>
    public static IReadOnlyList<BoundKey> Of(Type root, JsonSerializerOptions json) => Walk(root, json).Keys;

    /// <summary>
    /// Keys the loader matches but never sets: a public property without a setter (a computed one) that is not
    /// [JsonIgnore]. Unknown keys are errors, yet such a key passes without one and without effect.
    /// </summary>
    public static IReadOnlyList<string> SilentlyIgnored(Type root, JsonSerializerOptions json) => Walk(root, json).ReadOnly;

    private static (List<BoundKey> Keys, List<string> ReadOnly) Walk(Type root, JsonSerializerOptions json)
    {
        // The loader's first read does this too: it fixes the options and gives them the reflection-based contract.
        if (!json.IsReadOnly) json.MakeReadOnly(populateMissingResolver: true);
        var (keys, readOnly) = (new List<BoundKey>(), new List<string>());
        Walk(json.GetTypeInfo(root), "", Activator.CreateInstance(root), json, keys, readOnly);
        return (keys, readOnly);
    }

    private static void Walk(JsonTypeInfo info, string prefix, object? instance, JsonSerializerOptions json, List<BoundKey> keys, List<string> readOnly)
    {
        foreach (var property in info.Properties)
        {
            // The contract lists [JsonIgnore] properties too; the reader treats their keys as unknown.
            if (property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true) is [JsonIgnoreAttribute { Condition: JsonIgnoreCondition.Always }]) continue;
            var path = prefix + Name(property, json);
            if (property.Set is null)
            {
                readOnly.Add(path);
                continue;
            }
            var value = instance is null ? null : property.Get?.Invoke(instance);
            var type = json.GetTypeInfo(property.PropertyType);
            switch (type.Kind)
            {
                case JsonTypeInfoKind.Object:
                    Walk(type, path + ".", value ?? Activator.CreateInstance(property.PropertyType), json, keys, readOnly);
                    break;
                case JsonTypeInfoKind.Enumerable when json.GetTypeInfo(type.ElementType!).Kind == JsonTypeInfoKind.Object:
                    Walk(json.GetTypeInfo(type.ElementType!), path + "[].", Activator.CreateInstance(type.ElementType!), json, keys, readOnly);
                    break;
                default:
                    keys.Add(new BoundKey(path, property.PropertyType, value));
                    break;
            }
        }
    }

    /// <summary>
    /// The loaders match names case-insensitively and have no naming policy, so the serializer's name is the C# one;
    /// the reference writes keys in camelCase, as the example configs do. A [JsonPropertyName] is taken as written.
    /// </summary>
    private static string Name(JsonPropertyInfo property, JsonSerializerOptions json) =>
        json.PropertyNamingPolicy is not null || property.AttributeProvider?.IsDefined(typeof(JsonPropertyNameAttribute), inherit: true) == true
            ? property.Name
            : JsonNamingPolicy.CamelCase.ConvertName(property.Name);
}
