namespace GeoDns.Sidecar.Tests;

/// <summary>Routes the sidecar's admin requests to <see cref="FakeNameserver"/>s by host and port, and its reads of edges' signals to <see cref="Edges"/>.</summary>
public sealed class FakeAdminNetwork(IReadOnlyDictionary<string, FakeNameserver> nameservers) : HttpMessageHandler
{
    /// <summary>Edges' signals by tunnel address and port (<c>10.77.0.10:8055</c>); an address not here refuses the connection.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, FakeEdgeSignals> Edges { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        nameservers.TryGetValue(request.RequestUri!.Authority, out var ns) ? ns.HandleAsync(request)
        : Edges.TryGetValue(request.RequestUri.Authority, out var edge) ? Task.FromResult(edge.Handle(request))
        : throw new HttpRequestException($"connection refused: {request.RequestUri.Authority}");
}
