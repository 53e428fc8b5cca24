namespace GeoDns.Sidecar.Tests;

/// <summary>Routes the sidecar's admin requests to <see cref="FakeNameserver"/>s by host and port.</summary>
public sealed class FakeAdminNetwork(IReadOnlyDictionary<string, FakeNameserver> nameservers) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        nameservers.TryGetValue(request.RequestUri!.Authority, out var ns)
            ? ns.HandleAsync(request)
            : throw new HttpRequestException($"connection refused: {request.RequestUri.Authority}");
}
