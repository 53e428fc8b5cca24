using System.Net;

namespace GeoDns.Sidecar.Control;

/// <summary>
/// A nameserver the home dials over WireGuard, like an edge: the control path to its admin API
/// with no port open at home. The admin listens on the nameserver's tunnel address (token
/// required), and <c>nameservers</c> lists that address, e.g. <c>http://10.77.0.2:8053</c>.
/// </summary>
public sealed class NameserverTunnel
{
    /// <summary>A short name, e.g. <c>ns1</c>: its config goes to <c>wireguardDir/nameservers/NAME/</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Where the home dials it: the nameserver's public address and WireGuard port, e.g. <c>198.51.100.1:51820</c>.</summary>
    public string Endpoint { get; set; } = "";

    public string? Problem()
    {
        // The name is a directory at home (nameservers/NAME/): "." and ".." are dots only, and no name.
        if (string.IsNullOrWhiteSpace(Name) || !char.IsAsciiLetterOrDigit(Name[0]) || !Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            return $"name '{Name}' is not letters, digits, '-', '_' or '.', starting with a letter or digit";
        return IPEndPoint.TryParse(Endpoint, out var endpoint) && endpoint.Port != 0 ? null : $"{Name}: endpoint '{Endpoint}' is not ADDRESS:PORT";
    }
}
