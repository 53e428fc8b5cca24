using Microsoft.OpenApi;

namespace GeoDns.Server.Admin;

/// <summary>
/// What each admin route tells the OpenAPI document (<see cref="AdminOpenApi"/>). The handlers return
/// <see cref="IResult"/> and read their bodies and query strings themselves (to cap and word the errors), so the
/// generator cannot see their types: these declare them beside the routes, where a changed route shows its description.
/// </summary>
public static class AdminRouteDocs
{
    /// <summary>A read: 200 with <typeparamref name="T"/> (JSON unless <paramref name="contentType"/> says otherwise); 401 and 429 as every request that passes the token check.</summary>
    public static RouteHandlerBuilder Read<T>(this RouteHandlerBuilder route, string name, string tag, string summary, string? description = null, string contentType = "application/json") =>
        route.Describe(name, tag, summary, description).Produces<T>(StatusCodes.Status200OK, contentType);

    /// <summary>A change: <paramref name="status"/> with <typeparamref name="T"/>, and 403 while no token is configured.</summary>
    public static RouteHandlerBuilder Change<T>(this RouteHandlerBuilder route, string name, string tag, string summary, string? description = null, int status = StatusCodes.Status200OK) =>
        route.Describe(name, tag, summary, description).Produces<T>(status).Fails(StatusCodes.Status403Forbidden);

    /// <summary>A JSON body of <typeparamref name="T"/>: 400 when it is not valid JSON for it (an unknown key too), 413 over 64 KiB.</summary>
    /// <remarks>
    /// Not <c>Accepts</c>: its metadata makes routing match only requests whose Content-Type is JSON, and the body is
    /// read whatever the type says (curl -d sends form-urlencoded); so the document alone is told, by a transformer.
    /// </remarks>
    public static RouteHandlerBuilder Body<T>(this RouteHandlerBuilder route, bool optional = false) =>
        route.AddOpenApiOperationTransformer(async (operation, context, cancel) => operation.RequestBody = new OpenApiRequestBody
        {
            Required = !optional,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancel) },
            },
        }).Fails(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge);

    /// <summary>Further statuses the route answers with an <see cref="ErrorView"/>.</summary>
    public static RouteHandlerBuilder Fails(this RouteHandlerBuilder route, params int[] statuses)
    {
        foreach (var status in statuses) route.Produces<ErrorView>(status);
        return route;
    }

    /// <summary>Query parameters the handler reads itself: each its name, JSON schema type ("string", "integer") and meaning.</summary>
    public static RouteHandlerBuilder Query(this RouteHandlerBuilder route, params (string Name, JsonSchemaType Type, string Description)[] parameters) =>
        route.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var (name, type, description) in parameters)
                operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Query, Description = description, Schema = new OpenApiSchema { Type = type } });
            return Task.CompletedTask;
        });

    private static RouteHandlerBuilder Describe(this RouteHandlerBuilder route, string name, string tag, string summary, string? description)
    {
        route.WithName(name).WithTags(tag).WithSummary(summary).Fails(StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests);
        return description is null ? route : route.WithDescription(description);
    }
}
