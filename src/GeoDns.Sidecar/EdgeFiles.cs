using GeoDns.Sidecar.Nginx;
using GeoDns.Sidecar.State;
using GeoDns.Sidecar.WireGuard;

namespace GeoDns.Sidecar;

/// <summary>
/// The files the sidecar writes under the WireGuard directory: the home's <c>wg0.conf</c>, and
/// per edge <c>edges/NAME/wg0.conf</c> and <c>edges/NAME/nginx.conf</c> for its provision hook.
/// </summary>
public sealed class EdgeFiles(string directory, TunnelAddresses tunnel, NginxTemplate template, NginxOptions nginx)
{
    public string Directory { get; } = Path.GetFullPath(directory);
    public string HomePath => Path.Combine(Directory, "wg0.conf");

    public string WireGuardPath(string edge) => Path.Combine(Directory, "edges", edge, "wg0.conf");
    public string NginxPath(string edge) => Path.Combine(Directory, "edges", edge, "nginx.conf");

    /// <summary>The home's config: one peer per edge that holds a tunnel, draining ones included (they still carry traffic).</summary>
    public string WriteHome(KeyPair home, IEnumerable<KnownEdge> edges)
    {
        var peers = edges.Where(e => e is { HoldsTunnel: true, Keys: not null, Tunnel: not null })
            .Select(e => new HomePeer(e.Name, e.Keys!.PublicKey, e.Host.WireGuardEndpoint(EdgeConfig.ListenPort), e.Tunnel!));
        SecretFile.Write(HomePath, HomeConfig.Render(home, tunnel.Home.ToString(), tunnel.PrefixLength, peers));
        return HomePath;
    }

    /// <summary>Writes the edge's wg0.conf and nginx.conf (mode 0600 both: the nginx one may name key paths, and the edge's key is in the other).</summary>
    public Outcome WriteEdge(KnownEdge edge, KeyPair home)
    {
        if (edge.Keys is null || edge.Tunnel is null) return Outcome.Failed($"{edge.Name} has no WireGuard keys or tunnel address yet");
        var config = template.Render(nginx.VariablesFor(tunnel.Home.ToString()));
        if (!config.Ok) return config.WithoutValue();
        SecretFile.Write(WireGuardPath(edge.Name), EdgeConfig.Render(edge.Name, edge.Keys, edge.Tunnel, home.PublicKey, tunnel.Home.ToString()));
        SecretFile.Write(NginxPath(edge.Name), config.Value!);
        return Outcome.Success;
    }
}
