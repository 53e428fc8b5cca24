using System.Text;

namespace GeoDns.Sidecar.WireGuard;

/// <summary>
/// The home's wg0.conf: the home dials out to every edge (Endpoint + keepalive), so no port is
/// forwarded at home and the tunnel survives the home's NAT and changing address.
/// </summary>
public static class HomeConfig
{
    public const int KeepaliveSeconds = 25;

    public static string Render(KeyPair home, string homeAddress, int prefixLength, IEnumerable<HomePeer> peers)
    {
        var text = new StringBuilder();
        text.Append("# Written by geodns-sidecar; edits are overwritten at the next rotation.\n");
        text.Append("[Interface]\n");
        text.Append($"PrivateKey = {home.PrivateKey}\n");
        text.Append($"Address = {homeAddress}/{prefixLength}\n");
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
