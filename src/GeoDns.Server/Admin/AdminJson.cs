using GeoDns.Configuration;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GeoDns.Server.Admin;

/// <summary>JSON in and out of the admin endpoint: one set of options, bodies read with a size cap, errors as JSON.</summary>
public static class AdminJson
{
    /// <summary>A request body larger than this is refused (413): nothing the API takes comes near it.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>
    /// Sets the admin's JSON rules on <paramref name="options"/>: on <see cref="Options"/>, and on the host's HTTP JSON
    /// options, which the OpenAPI generator reads, so that the document names properties and enums as the replies do.
    /// </summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.WriteIndented = true;
        // Served as application/json, never inlined into HTML: quotes and <> may stay readable for curl users.
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.ReadCommentHandling = JsonCommentHandling.Skip;
        options.AllowTrailingCommas = true;
        // A misspelt key must not be silently ignored: "wieght": 2 would add an edge of weight 1.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // A number is a JSON number: the web defaults would also take "weight": "2", which no client of ours sends,
        // and the OpenAPI document would then type every number as number-or-string.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }

    public static IResult Ok(object value, int status = StatusCodes.Status200OK) => Results.Json(value, Options, statusCode: status);

    public static IResult Error(int status, string message) => Results.Json(new ErrorView(message), Options, statusCode: status);

    public static IResult Errors(int status, IReadOnlyList<string> messages) =>
        Results.Json(new ErrorView(string.Join("; ", messages)) { Errors = messages }, Options, statusCode: status);

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
