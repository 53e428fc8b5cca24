using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace GeoDns.Server.Admin;

/// <summary>
/// The admin API's OpenAPI document, served at <see cref="Path"/> by ASP.NET Core's own generator from the routes as
/// mapped: their names, tags, bodies and replies are declared beside them (<see cref="AdminRouteDocs"/>), and the
/// generator reads the admin's JSON rules (<see cref="AdminJson.Configure"/>), so the document cannot describe other
/// property names than those sent. The document is a read like any other: it passes <see cref="AdminGuard"/>.
/// </summary>
public static class AdminOpenApi
{
    public const string Path = "/openapi/v1.json";
    public const string BearerScheme = "bearer";

    public const string Health = "health", Pools = "pools", Edges = "edges", Zones = "zones", Events = "events", Explain = "explain", Metrics = "metrics";

    private static readonly (string Name, string Description)[] Tags =
    [
        (Health, "Whether the nameserver answers everything configured"),
        (Pools, "Pools of edges: how they answer, which edges they hold, and their emergency switches"),
        (Edges, "Edges and their addresses' health; the operator's drains and forced states, tunnel reports, edges added at run time"),
        (Zones, "Zone files served, their reloads, and records added by dynamic update"),
        (Events, "Health transitions of the probe targets, and the pools' emergency switches turned on and off"),
        (Explain, "Why a client gets the answer it gets"),
        (Metrics, "Prometheus metrics"),
    ];

    public static void AddServices(IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(json => AdminJson.Configure(json.SerializerOptions));
        services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer(Describe);
            options.AddSchemaTransformer(NoNullInEnums);
        });
    }

    public static void Map(WebApplication app) => app.MapOpenApi("/openapi/{documentName}.json");

    /// <summary>
    /// An enum used both as T and T? (EdgeState: an address's state, an edge's forced state) is one schema, and the
    /// generator lists null among its values, which would allow null where T is never null. A nullable property says
    /// so itself (oneOf null or the enum), so the values are the enum's names only.
    /// </summary>
    private static Task NoNullInEnums(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancel)
    {
        var type = context.JsonTypeInfo.Type;
        if ((Nullable.GetUnderlyingType(type) ?? type).IsEnum && schema.Enum is { } values)
            schema.Enum = [.. values.Where(v => v is not null && v.GetValueKind() != System.Text.Json.JsonValueKind.Null)];
        return Task.CompletedTask;
    }

    private static Task Describe(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancel)
    {
        document.Info = new OpenApiInfo
        {
            Title = "GeoDns admin API",
            Version = "v1",
            Description = "The admin endpoint of a GeoDns nameserver: health, pools and edges, zones, health transitions, " +
                "answer explanations and metrics, and the operator's changes (drain, force, tunnel reports, edges added at run time, " +
                "emergency switches, zone reloads). JSON in and out; every error is {\"error\": \"...\"}, with \"errors\": [...] when a validation " +
                "found several problems. Reads (GET) need no token from a loopback client that addresses the server by a loopback " +
                "name (127.0.0.1, [::1], localhost), and the bearer token from anywhere else; every change needs the token, and " +
                "without a token configured changes are off (403). Ten wrong tokens from one address (an IPv6 /64) within a minute " +
                "get 429 until the minute is over. Request bodies over 64 KiB get 413. The dashboard, an HTML page for people, is at / " +
                "and not described here.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The admin token (adminToken, adminTokenFile or GEODNS_ADMIN_TOKEN): Authorization: Bearer <token>.",
        };
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
        var bearer = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] };
        foreach (var operation in (document.Paths ?? []).SelectMany(p => p.Value.Operations ?? []))
        {
            // Changes always need the token; a read may go without it (from loopback), which an empty requirement says.
            var read = operation.Key == HttpMethod.Get || operation.Key == HttpMethod.Head;
            operation.Value.Security = read ? [new OpenApiSecurityRequirement(), bearer] : [bearer];
        }
        return Task.CompletedTask;
    }
}
