using System.Text;

namespace GeoDns.Sidecar.WireGuard;

/// <summary>
/// The home's wg0.conf: the home dials out to every edge (Endpoint + keepalive), so no port is
/// forwarded at home and the tunnel survives the home's NAT and changing address.
/// </summary>
public static class HomeConfig
{
    public const int KeepaliveSeconds = 25;

    public const int DefaultListenPort = 51820;

    /// <summary>
    /// The home's config. Its ListenPort is fixed (only its source port: nothing is forwarded to
    /// it): without one, every <c>wg syncconf</c> picks a new random port, and each edge keeps
    /// sending to the old one until the home's next keepalive, up to 25 s of broken tunnels at
    /// every rotation step that applies the config (found by the lab, deploy/lab/).
    /// </summary>
    public static string Render(KeyPair home, string homeAddress, int prefixLength, IEnumerable<HomePeer> peers, int listenPort = DefaultListenPort)
    {
        var text = new StringBuilder();
        text.Append("# Written by geodns-sidecar; edits are overwritten at the next rotation.\n");
        text.Append("[Interface]\n");
        text.Append($"PrivateKey = {home.PrivateKey}\n");
        text.Append($"Address = {homeAddress}/{prefixLength}\n");
        text.Append($"ListenPort = {listenPort}\n");
        foreach (var peer in peers.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            text.Append($"\n# {peer.Name}\n");
            text.Append("[Peer]\n");
            text.Append($"PublicKey = {peer.PublicKey}\n");
            text.Append($"Endpoint = {peer.Endpoint}\n");
            text.Append($"AllowedIPs = {peer.TunnelAddress}/32\n");
            text.Append($"PersistentKeepalive = {KeepaliveSeconds}\n");
        }
        return text.ToString();
    }
}
