using System.Net;

namespace GeoDns.Sidecar.Check;

/// <summary>One recursive resolver <c>check</c> asks for the pool: where, and the country of the clients it serves.</summary>
public sealed class CheckResolver
{
    /// <summary><c>ADDR:PORT</c>, or <c>ADDR</c> for port 53.</summary>
    public string Address { get; set; } = "";

    /// <summary>Two-letter country code: the pool's edge in that country, when one is up, must be in its answer.</summary>
    public string? Country { get; set; }

    public IPEndPoint? Endpoint() =>
        IPAddress.TryParse(Address, out var bare) ? new IPEndPoint(bare, 53)
        : IPEndPoint.TryParse(Address, out var endpoint) && endpoint.Port != 0 ? endpoint : null;

    public override string ToString() => Country is null ? Address : $"{Address} ({Country})";
}
