namespace GeoDns.Sidecar.WireGuard;

/// <summary>
/// An edge's (or a nameserver's) wg0.conf: it listens and only ever talks to the home. No Endpoint for the home: the
/// home dials in, and WireGuard answers wherever the last authenticated packet came from.
/// </summary>
public static class EdgeConfig
{
    public const int ListenPort = 51820;

    public static string Render(string edgeName, KeyPair edge, string edgeAddress, string homePublicKey, string homeAddress, int listenPort = ListenPort) => $"""
        # {edgeName}: written by geodns-sidecar
        [Interface]
        PrivateKey = {edge.PrivateKey}
        Address = {edgeAddress}/32
        ListenPort = {listenPort}

        # home
        [Peer]
        PublicKey = {homePublicKey}
        AllowedIPs = {homeAddress}/32

        """.ReplaceLineEndings("\n");
}
