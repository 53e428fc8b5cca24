using System.Net;
using GeoDns.Sidecar.Control;
using GeoDns.Sidecar.Nginx;
using GeoDns.Sidecar.State;
using GeoDns.Sidecar.WireGuard;

namespace GeoDns.Sidecar;

/// <summary>
/// The files the sidecar writes under the WireGuard directory: the home's <c>INTERFACE.peers</c>
/// (for <c>wg syncconf</c>; the interface's own config is root's, never written here),
/// per edge <c>edges/NAME/wg0.conf</c> and <c>edges/NAME/nginx.conf</c> for its provision hook,
/// and per nameserver tunnel <c>nameservers/NAME/wg0.conf</c>.
/// </summary>
public sealed class EdgeFiles(string directory, string interfaceName, TunnelAddresses tunnel, NginxTemplate template, NginxOptions nginx, int homeListenPort = HomeConfig.DefaultListenPort, Signals.SignalsOptions? signals = null)
{
    public string Directory { get; } = Path.GetFullPath(directory);
    public string Interface { get; } = interfaceName;
    public string HomePath => Path.Combine(Directory, Interface + ".peers");

    public string WireGuardPath(string edge) => Path.Combine(Directory, "edges", Segment(edge), "wg0.conf");
    public string NginxPath(string edge) => Path.Combine(Directory, "edges", Segment(edge), "nginx.conf");
    public string NameserverPath(string nameserver) => Path.Combine(Directory, "nameservers", Segment(nameserver), "wg0.conf");

    /// <summary>A name as one directory below ours: ".", ".." or a separator would write elsewhere, so such a name is refused.</summary>
    private static string Segment(string name) =>
        name is not ("" or "." or "..") && name.IndexOfAny(['/', '\\', '\0']) < 0
            ? name
            : throw new ArgumentException($"'{name}' cannot name an edge's or nameserver's directory: it is not one directory name");

    /// <summary>
    /// The home's config: one peer per nameserver tunnel, and one per edge that holds a tunnel and
    /// exists (draining ones included: they still carry traffic).
    /// </summary>
    public string WriteHome(KeyPair home, IEnumerable<KnownEdge> edges, IEnumerable<(NameserverTunnel Tunnel, KeyPair Keys)>? nameservers = null)
    {
        var peers = edges.Where(e => e is { HoldsTunnel: true, Keys: not null, Tunnel: not null } && e.Host.Exists)
            .Select(e => new HomePeer(e.Name, e.Keys!.PublicKey, e.Host.WireGuardEndpoint(EdgeConfig.ListenPort), e.Tunnel!))
            // A nameserver bootstrap has still to buy has no endpoint yet: no peer until it does.
            .Concat((nameservers ?? []).Select((n, i) => new HomePeer(n.Tunnel.Name, n.Keys.PublicKey, n.Tunnel.Endpoint, tunnel.Nameserver(i).ToString()))
                .Where(p => p.Endpoint != ""));
        SecretFile.Write(HomePath, HomeConfig.Render(home, peers, homeListenPort));
        return HomePath;
    }

    /// <summary>Writes the edge's wg0.conf and nginx.conf (mode 0600 both: the nginx one may name key paths, and the edge's key is in the other).</summary>
    public Outcome WriteEdge(KnownEdge edge, KeyPair home)
    {
        if (edge.Keys is null || edge.Tunnel is null) return Outcome.Failed($"{edge.Name} has no WireGuard keys or tunnel address yet");
        var config = template.Render(nginx.VariablesFor(tunnel.Home.ToString(), signals));
        if (!config.Ok) return config.WithoutValue();
        SecretFile.Write(WireGuardPath(edge.Name), EdgeConfig.Render(edge.Name, edge.Keys, edge.Tunnel, home.PublicKey, tunnel.Home.ToString()));
        SecretFile.Write(NginxPath(edge.Name), config.Value!);
        return Outcome.Success;
    }

    /// <summary>Writes the nameserver side of its control tunnel: it listens on its endpoint's port and knows only the home.</summary>
    public string WriteNameserver(NameserverTunnel nameserver, int index, KeyPair keys, KeyPair home)
    {
        var port = IPEndPoint.TryParse(nameserver.Endpoint, out var endpoint) ? endpoint.Port : HomeConfig.DefaultListenPort;
        var path = NameserverPath(nameserver.Name);
        SecretFile.Write(path, EdgeConfig.Render(nameserver.Name, keys, tunnel.Nameserver(index).ToString(), home.PublicKey, tunnel.Home.ToString(), port));
        return path;
    }
}
