using GeoDns.Configuration;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GeoDns.Server;

/// <summary>Reads the JSON config. Errors name the file and line, and the key when JSON names it.</summary>
public static class ConfigFile
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // Enums by name: alerts.channels[].type and .security are written "email", "starttls".
        Converters = { new DurationConverter(), new JsonStringEnumConverter() },
    };

    public static ServerOptions? Load(string path, out string error)
    {
        error = "";
        try
        {
            return JsonSerializer.Deserialize<ServerOptions>(File.ReadAllText(path), Json) ?? new ServerOptions();
        }
        catch (JsonException e)
        {
            error = JsonProblem.InFile(path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = GeoDns.Files.FileProblem.Describe(path, e);
        }
        return null;
    }
}
