using System.Net;
using System.Text;

namespace GeoDns.IntegrationTests;

/// <summary>Who may do what on the admin endpoint, and how bad requests are refused, over real HTTP.</summary>
public sealed class AdminAuthTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private LoopbackEdges _edges = null!;

    public async Task InitializeAsync()
    {
        _edges = new LoopbackEdges(1);
        _server = await TestServer.StartAsync(config: _edges.Config());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _edges.Dispose();
    }

    private async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> Drain(string? token, string body = "{}", string? host = null)
    {
        using var client = _server.NewHttpClient(token);
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/edges/edge-1/drain") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (host is not null) request.Headers.Host = host;
        var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    [Fact]
    public async Task ReadFromLoopback_NoTokenNeeded()
    {
        using var client = _server.NewHttpClient(token: null);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/pools")).StatusCode);
    }

    [Fact]
    public async Task ReadWithForeignHostHeader_NeedsToken()
    {
        // What a page served from evil.example would send after pointing its name at 127.0.0.1 (DNS rebinding).
        using var client = _server.NewHttpClient(token: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/pools");
        request.Headers.Host = "evil.example";

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task ChangeWithoutToken_401()
    {
        var (status, body, response) = await Drain(token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("changes need the admin token", body);
        Assert.Empty(_server.Service.Observations.Snapshot.Overrides);
    }

    [Fact]
    public async Task WrongTokens_401_ThenRateLimited429_EvenForTheRightToken()
    {
        for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await Drain("guess-" + i)).Status);

        var (status, body, response) = await Drain("guess-10");
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("too many wrong tokens", body);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Drain(TestServer.AdminToken)).Status);
        Assert.Empty(_server.Service.Observations.Snapshot.Overrides);
    }

    [Theory]
    [InlineData("{\"reason\": ", HttpStatusCode.BadRequest, "not valid JSON")]
    [InlineData("{\"reasn\": \"x\"}", HttpStatusCode.BadRequest, "not valid JSON for this request: reasn: unknown key")]
    [InlineData("{\"reason\": 5}", HttpStatusCode.BadRequest, "not valid JSON for this request: reason: not a string")]
    [InlineData("[1, 2]", HttpStatusCode.BadRequest, "not valid JSON for this request: not an object")]
    public async Task MalformedBody_400NamingTheProblem(string body, HttpStatusCode expected, string message)
    {
        var (status, text, _) = await Drain(TestServer.AdminToken, body);

        Assert.Equal(expected, status);
        Assert.Contains(message, text);
    }

    [Fact]
    public async Task OversizedBody_413()
    {
        var (status, text, _) = await Drain(TestServer.AdminToken, $"{{\"reason\": \"{new string('x', 70_000)}\"}}");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("larger than 65536 bytes", text);
    }
}
