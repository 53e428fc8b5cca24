using System.Net;
using System.Net.Sockets;

namespace GeoDns.Sidecar.Fleet;

/// <summary>
/// One nameserver of the fleet: its short name (the label under the zone, <c>ns1</c>) and its public addresses, or,
/// for one still to be bought, the country <c>bootstrap</c> buys it in through the create hook (the addresses the
/// hook printed are kept in the state file and filled in here when the session opens).
/// </summary>
public sealed class FleetNameserver
{
    /// <summary>The first label of its name: <c>ns1</c> is <c>ns1.ZONE</c>, and its files go to <c>DATA/fleet/ns1/</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Its public IPv4 address: resolvers, the parent's glue and the home's tunnel reach it there.</summary>
    public string? Ipv4 { get; set; }

    public string? Ipv6 { get; set; }

    /// <summary>Where to buy it (ISO 3166 code, as for edges): set instead of the addresses for a nameserver that does not exist yet.</summary>
    public string? Country { get; set; }

    /// <summary>True once it has an address (from the config, or from the create hook).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Exists => Ipv4 is not null || Ipv6 is not null;

    /// <summary>
    /// The name of the VPS that is this nameserver, as the hooks know it (<c>EDGE_NAME</c>): its own name until <c>rotate</c>
    /// replaces it by <c>ns1-r1</c>; filled in from the state file.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Vps { get; set; }

    /// <summary>The addresses sidecar.json lists for it, kept when the state file's take their place (null: not read from the state yet).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string>? Listed { get; set; }

    /// <summary>Where it answers DNS, when not on its public addresses (a provider that NATs them, e.g. <c>0.0.0.0:53</c>).</summary>
    public List<string> Listen { get; set; } = [];

    public string? Problem()
    {
        // The name is a DNS label and a directory at home.
        if (!System.Text.RegularExpressions.Regex.IsMatch(Name, "^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"))
            return $"name '{Name}' is not one DNS label (letters, digits, '-')";
        if (Ipv4 is null && Ipv6 is null && Country is null)
            return $"{Name}: neither ipv4/ipv6 (a nameserver that exists) nor country (one bootstrap buys) is set";
        if (Country is not null && !System.Text.RegularExpressions.Regex.IsMatch(Country, "^[A-Z]{2}$"))
            return $"{Name}: country '{Country}' is not a two-letter ISO 3166 code such as DE";
        if (Ipv4 is not null && !(IPAddress.TryParse(Ipv4, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork))
            return $"{Name}: ipv4 '{Ipv4}' is not an IPv4 address";
        if (Ipv6 is not null && !(IPAddress.TryParse(Ipv6, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6))
            return $"{Name}: ipv6 '{Ipv6}' is not an IPv6 address";
        return Listen.FirstOrDefault(l => !IPEndPoint.TryParse(l, out _)) is { } bad ? $"{Name}: listen '{bad}' is not ADDRESS:PORT" : null;
    }

    /// <summary>Where the home dials it and the others transfer from: its IPv4 address where it has one; empty until it exists.</summary>
    public string Endpoint(int port) => Ipv4 is not null ? $"{Ipv4}:{port}" : Ipv6 is not null ? $"[{Ipv6}]:{port}" : "";
}
