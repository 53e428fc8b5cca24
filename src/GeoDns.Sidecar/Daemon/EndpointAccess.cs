using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// Who may use the daemon's endpoint. The bearer token opens everything. Without it: the panel's page, which holds
/// no data, is served to anyone (so that off loopback it can ask for the token); the fleet document is read freely
/// only while the endpoint listens on loopback, where whoever reaches it is on the home machine or came through SSH.
/// Everything else, every change above all (a rotation buys and destroys VPS), needs the token.
/// </summary>
public sealed class EndpointAccess(IPEndPoint listen, string token)
{
    public const string PanelPage = "/";
    public const string FleetDocumentPath = "/v1/fleet";

    private readonly byte[] _expected = Encoding.UTF8.GetBytes("Bearer " + token);

    /// <summary>Whether the fleet document is served without the token: only on a loopback listener.</summary>
    public bool OpenReads { get; } = IPAddress.IsLoopback(listen.Address);

    public bool Allows(HttpRequest request)
    {
        // Compared in constant time: how long a refusal takes must not tell how much of a guess was right.
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(request.Headers.Authorization.ToString()), _expected)) return true;
        if (!HttpMethods.IsGet(request.Method)) return false;
        if (request.Path == PanelPage) return true;
        return request.Path == FleetDocumentPath && OpenReads && LoopbackHost(request.Host);
    }

    /// <summary>
    /// The name the browser asked for must be loopback too: a web page the person visits could otherwise point a name
    /// of its own at 127.0.0.1 (DNS rebinding) and read the fleet through their browser.
    /// </summary>
    private static bool LoopbackHost(HostString host) =>
        host.HasValue && (host.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || IPAddress.TryParse(host.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
