using GeoDns.Configuration;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GeoDns.Server.Admin;

/// <summary>JSON in and out of the admin endpoint: one set of options, bodies read with a size cap, errors as JSON.</summary>
public static class AdminJson
{
    /// <summary>A request body larger than this is refused (413): nothing the API takes comes near it.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Served as application/json, never inlined into HTML: quotes and <> may stay readable for curl users.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        // A misspelt key must not be silently ignored: "wieght": 2 would add an edge of weight 1.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
    };

    public static IResult Ok(object value, int status = StatusCodes.Status200OK) => Results.Json(value, Options, statusCode: status);

    public static IResult Error(int status, string message) => Results.Json(new { error = message }, Options, statusCode: status);

    public static IResult Errors(int status, IReadOnlyList<string> messages) =>
        Results.Json(new { error = string.Join("; ", messages), errors = messages }, Options, statusCode: status);

    /// <summary>
    /// Reads the body as <typeparamref name="T"/>. An empty body gives <paramref name="empty"/> (null: the
    /// body is required). The failure is a ready response: 413 too large, 400 naming what is wrong.
    /// </summary>
    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, T? empty) where T : class
    {
        if (request.ContentLength > MaxBodyBytes) return (null, TooLarge());
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            if (buffer.Length == 0)
                return empty is not null ? (empty, null) : (null, Error(StatusCodes.Status400BadRequest, "request body: a JSON object is required"));
            buffer.Position = 0;
            var body = await JsonSerializer.DeserializeAsync<T>(buffer, Options, request.HttpContext.RequestAborted);
            return body is null ? (null, Error(StatusCodes.Status400BadRequest, "request body: a JSON object is required, not null")) : (body, null);
        }
        catch (JsonException e)
        {
            return (null, Error(StatusCodes.Status400BadRequest, $"request body is not valid JSON for this request: {JsonProblem.Describe(e)}"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // A chunked body carries no length up front: Kestrel stops it at the limit while we read.
            return (null, TooLarge());
        }
    }

    private static IResult TooLarge() => Error(StatusCodes.Status413PayloadTooLarge, $"request body is larger than {MaxBodyBytes} bytes");
}
