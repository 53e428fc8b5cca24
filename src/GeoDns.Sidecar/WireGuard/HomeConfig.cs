using System.Text;

namespace GeoDns.Sidecar.WireGuard;

/// <summary>
/// The home's peers, in the format of <c>wg</c> itself (<c>wg syncconf</c>), never wg-quick's: the
/// sidecar writes this file, and a file the sidecar can write must not carry anything that runs
/// (wg-quick runs PreUp/PostUp as root). The interface, its address and the firewall belong to a
/// root-owned config (deploy/home/wg0.conf). The home dials out to every peer (Endpoint +
/// keepalive), so no port is forwarded at home and the tunnels survive the home's NAT.
/// </summary>
public static class HomeConfig
{
    public const int KeepaliveSeconds = 25;

    public const int DefaultListenPort = 51820;

    /// <summary>
    /// The only keys this file may hold: <c>wg syncconf</c> understands these and nothing else, and
    /// none of them runs anything. A test holds every rendered line to this list.
    /// </summary>
    public static readonly IReadOnlySet<string> WgKeys = new HashSet<string>(StringComparer.Ordinal)
        { "PrivateKey", "ListenPort", "PublicKey", "Endpoint", "AllowedIPs", "PersistentKeepalive" };

    /// <summary>
    /// The file. Its <c>[Interface]</c> section holds only the private key and the listen port:
    /// <c>wg syncconf</c> replaces the whole device, so a file without them would clear the key and
    /// move the port at every apply. The port is fixed (only the home's source port: nothing is
    /// forwarded to it): on a random one, each edge keeps sending to the old port until the home's
    /// next keepalive, up to 25 s of broken tunnels at every rotation step (found by the lab, deploy/lab/).
    /// </summary>
    public static string Render(KeyPair home, IEnumerable<HomePeer> peers, int listenPort = DefaultListenPort)
    {
        var text = new StringBuilder();
        text.Append("# Written by geodns-sidecar for `wg syncconf` (not wg-quick); edits are overwritten at the next rotation.\n");
        text.Append("[Interface]\n");
        text.Append($"PrivateKey = {home.PrivateKey}\n");
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
