using System.Net;
using System.Net.Sockets;

namespace GeoDns.Sidecar.Signals;

/// <summary>
/// Reads an edge's signals.json at its tunnel address, so only through the tunnel: the edge's nginx lets in the
/// home's tunnel address alone. Every failure is a value naming what to look at, never an exception.
/// </summary>
public sealed class EdgeSignalsReader(HttpClient http, int port, TimeProvider time)
{
    /// <summary>A live tunnel answers in milliseconds; a dead one must not hold up the daemon's poll.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public const string Path = "/signals.json";

    public Uri Address(string tunnelAddress) => new($"http://{tunnelAddress}:{port}{Path}");

    public async Task<Outcome<EdgeSignalsSample>> ReadAsync(string tunnelAddress, CancellationToken cancel)
    {
        var url = Address(tunnelAddress);
        using var timeout = new CancellationTokenSource(Timeout, time);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel, timeout.Token);
        try
        {
            using var response = await http.GetAsync(url, limit.Token);
            var text = await response.Content.ReadAsStringAsync(limit.Token);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => EdgeSignalsSample.Parse(text),
                HttpStatusCode.NotFound => Outcome<EdgeSignalsSample>.Failed($"{url}: 404, no signals yet (is geodns-edge-signals running on the edge?)"),
                HttpStatusCode.Forbidden => Outcome<EdgeSignalsSample>.Failed($"{url}: 403, the edge's nginx does not let the home's tunnel address in"),
                var status => Outcome<EdgeSignalsSample>.Failed($"{url}: HTTP {(int)status}"),
            };
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return Outcome<EdgeSignalsSample>.Failed($"{url}: no answer within {Timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            var reason = e.InnerException is SocketException socket ? socket.Message : e.Message;
            return Outcome<EdgeSignalsSample>.Failed($"{url}: {reason}");
        }
    }
}
