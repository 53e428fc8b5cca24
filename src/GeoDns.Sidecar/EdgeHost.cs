using System.Net;

namespace GeoDns.Sidecar;

/// <summary>
/// One edge VPS as the world sees it: what the create hook prints, what the nameservers are told,
/// what sidecar.json lists for the edges that exist already.
/// </summary>
public sealed record EdgeHost
{
    public string Name { get; init; } = "";
    public string? Ipv4 { get; init; }
    public string? Ipv6 { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public string? Country { get; init; }
    public double Weight { get; init; } = 1;

    /// <summary>Where the home dials the edge's WireGuard: the IPv4 address when there is one (home lines often lack IPv6).</summary>
    public string WireGuardEndpoint(int port) => Ipv4 is not null ? $"{Ipv4}:{port}" : $"[{Ipv6}]:{port}";

    /// <summary>True once the edge has an address (one listed without is still to be created).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Exists => Ipv4 is not null || Ipv6 is not null;

    /// <summary>Null when usable, else what is wrong, naming the edge.</summary>
    public string? Problem(bool requireAddress = true)
    {
        // The name is a directory at home (edges/NAME/): it starts with a letter or digit, so "." and ".." are none.
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 63 || !char.IsAsciiLetterOrDigit(Name[0]) || !Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            return $"edge name '{Name}' is not 1-63 letters, digits, '-', '_' or '.', starting with a letter or digit";
        if (Ipv4 is null && Ipv6 is null) return requireAddress ? $"edge {Name} has neither ipv4 nor ipv6" : null;
        if (Ipv4 is not null && !(IPAddress.TryParse(Ipv4, out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork))
            return $"edge {Name}: ipv4 '{Ipv4}' is not an IPv4 address";
        if (Ipv6 is not null && !(IPAddress.TryParse(Ipv6, out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6))
            return $"edge {Name}: ipv6 '{Ipv6}' is not an IPv6 address";
        return Weight > 0 ? null : $"edge {Name}: weight must be above 0";
    }
}
