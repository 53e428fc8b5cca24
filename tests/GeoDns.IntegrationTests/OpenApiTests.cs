using System.Net;
using System.Text;
using System.Text.Json;
using GeoDns.Server.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// The admin API's OpenAPI document (GET /openapi/v1.json) against the running server: it describes every route the
/// admin maps and nothing else, says who needs the token, names properties as the replies do, and is a read like any other.
/// </summary>
public sealed class OpenApiTests : IAsyncLifetime
{
    // Mapped but not API: the dashboard page for people, and the document itself. (The 404 fallback has no method.)
    private static readonly string[] NotDescribed = ["GET /", "GET /openapi/{documentName}.json"];

    private TestServer _server = null!;
    private LoopbackEdges _edges = null!;
    private JsonElement _document;

    public async Task InitializeAsync()
    {
        _edges = new LoopbackEdges(1);
        _server = await TestServer.StartAsync(config: _edges.Config());
        using var client = _server.NewHttpClient(token: null);
        using var reply = await client.GetAsync(AdminOpenApi.Path);
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        _document = JsonDocument.Parse(await reply.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _edges.Dispose();
    }

    private IEnumerable<(string Method, string Path, JsonElement Operation)> Operations() =>
        from path in _document.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        select (operation.Name.ToUpperInvariant(), path.Name, operation.Value);

    [Fact]
    public void Document_IsOpenApi3()
    {
        Assert.StartsWith("3.", _document.GetProperty("openapi").GetString());
        Assert.Equal("GeoDns admin API", _document.GetProperty("info").GetProperty("title").GetString());
    }

    [Fact]
    public void Document_DescribesEveryMappedRoute_AndNoOther()
    {
        var mapped = _server.Admin.Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} /{e.RoutePattern.RawText!.TrimStart('/')}"))
            .Except(NotDescribed)
            .ToHashSet();
        var documented = Operations().Select(o => $"{o.Method} {o.Path}").ToHashSet();

        Assert.True(mapped.Count >= 17, $"only {mapped.Count} routes found: {string.Join(", ", mapped)}");
        Assert.Empty(mapped.Except(documented)); // mapped, not documented
        Assert.Empty(documented.Except(mapped)); // documented, not mapped
    }

    [Fact]
    public void Document_EveryChangeNeedsTheBearer_EveryOperationNamedAndSummarised()
    {
        var scheme = _document.GetProperty("components").GetProperty("securitySchemes").GetProperty(AdminOpenApi.BearerScheme);
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        foreach (var (method, path, operation) in Operations())
        {
            var where = $"{method} {path}";
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{where}: no summary");
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("operationId").GetString()), $"{where}: no operationId");
            Assert.NotEqual(0, operation.GetProperty("tags").GetArrayLength());
            Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _), $"{where}: no 401");
            var requirements = operation.GetProperty("security").EnumerateArray().ToList();
            Assert.Contains(requirements, r => r.TryGetProperty(AdminOpenApi.BearerScheme, out _));
            if (method is "GET" or "HEAD") continue;
            // A change: the bearer, and no empty requirement (which would say "or nothing").
            Assert.All(requirements, r => Assert.True(r.TryGetProperty(AdminOpenApi.BearerScheme, out _), $"{where}: may go without the token"));
            Assert.True(operation.GetProperty("responses").TryGetProperty("403", out _), $"{where}: no 403 (changes off without a token)");
        }
    }

    [Theory]
    [InlineData("/v1/pools", "PoolView")]
    [InlineData("/v1/edges", "EdgeView")]
    [InlineData("/v1/zones", "ZonesView")]
    [InlineData("/healthz", "HealthView")]
    public async Task Document_NamesEveryPropertyAsTheReplySendsIt(string path, string schema)
    {
        var reply = JsonDocument.Parse(await _server.Http.GetStringAsync(path)).RootElement;
        var sent = reply.ValueKind == JsonValueKind.Array ? reply[0] : reply;
        var described = _document.GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties");

        Assert.All(sent.EnumerateObject(), p => Assert.True(described.TryGetProperty(p.Name, out _), $"{path} sends '{p.Name}', which {schema} does not describe"));
    }

    [Fact]
    public async Task Document_NamesEnumValuesAsTheReplySendsThem()
    {
        var edges = JsonDocument.Parse(await _server.Http.GetStringAsync("/v1/edges")).RootElement;
        var states = _document.GetProperty("components").GetProperty("schemas").GetProperty("EdgeState").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ToList();

        Assert.Contains(edges[0].GetProperty("addresses")[0].GetProperty("state").GetString(), states);
        Assert.Equal(["Unknown", "Up", "Suspect", "Down"], states);
    }

    [Fact]
    public async Task Document_FromBeyondLoopbackWithoutToken_401LikeOtherReads()
    {
        using var anonymous = _server.NewHttpClient(token: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, AdminOpenApi.Path);
        // What a page served from evil.example would send after pointing its name at 127.0.0.1 (DNS rebinding).
        request.Headers.Host = "evil.example";
        using var refused = await anonymous.SendAsync(request);
        using var withToken = new HttpRequestMessage(HttpMethod.Get, AdminOpenApi.Path);
        withToken.Headers.Host = "evil.example";
        using var allowed = await _server.Http.SendAsync(withToken);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("Bearer", refused.Headers.WwwAuthenticate.ToString());
        Assert.Contains("\"error\"", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("nosniff", Assert.Single(allowed.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(allowed.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task Change_BodyWithoutJsonContentType_StillRead()
    {
        // curl -d sends application/x-www-form-urlencoded: the body descriptions must not make routing pick by Content-Type.
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/edges/edge-1/drain")
        {
            Content = new StringContent("{\"reason\": \"kernel update\"}", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        using var reply = await _server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.Contains("kernel update", await reply.Content.ReadAsStringAsync());
    }
}
