using System.Net;
using System.Security.Cryptography;
using System.Text;
using GeoDns.Server.Alerts;

namespace GeoDns.Server.Admin;

/// <summary>
/// Who may do what on the admin endpoint. Every change (POST, PUT, DELETE) needs the bearer token;
/// reads (GET, HEAD) need it too, except from a loopback client that addressed us by a loopback
/// name: a web page cannot then read our data through DNS rebinding (its Host header would be its own name).
/// Every request with the right token is the home reaching us (<see cref="HomeContact"/>): its sidecar sends one every few seconds.
/// </summary>
public sealed class TokenCheck(AdminSettings settings, FailedAttempts failures, HomeContact? home = null)
{
    // Hashes of equal length: FixedTimeEquals alone would still reveal the token's length through timing.
    private readonly byte[]? _expected = settings.Token is { } token ? SHA256.HashData(Encoding.UTF8.GetBytes(token)) : null;

    public AccessDecision Decide(string method, IPAddress? client, string? host, string? authorization)
    {
        var read = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
        if (authorization is null)
        {
            if (read && IsLoopback(client) && IsLoopbackHost(host)) return AccessDecision.Allowed;
            return read || _expected is not null ? AccessDecision.TokenRequired : AccessDecision.ChangesDisabled;
        }
        if (failures.Blocked(client) > TimeSpan.Zero) return AccessDecision.TooManyAttempts;
        if (_expected is null) return read ? AccessDecision.WrongToken : AccessDecision.ChangesDisabled;
        var given = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : "";
        if (CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), _expected))
        {
            home?.Heard();
            return AccessDecision.Allowed;
        }
        failures.Record(client);
        return AccessDecision.WrongToken;
    }

    public TimeSpan RetryAfter(IPAddress? client) => failures.Blocked(client);

    private static bool IsLoopback(IPAddress? client) =>
        client is not null && IPAddress.IsLoopback(client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client);

    /// <summary>The Host header names this machine: a loopback address or "localhost", with any port.</summary>
    public static bool IsLoopbackHost(string? host)
    {
        if (string.IsNullOrEmpty(host)) return false;
        var name = host.StartsWith('[') ? host[1..Math.Max(1, host.IndexOf(']'))] : host.Split(':')[0];
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address));
    }
}
