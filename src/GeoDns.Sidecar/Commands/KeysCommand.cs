namespace GeoDns.Sidecar.Commands;

/// <summary><c>keys</c> and <c>wg render</c>: every config written; <c>keys</c> also prints the public keys (never a private one).</summary>
public static class KeysCommand
{
    public static int Run(SidecarSession session, TextWriter output, bool printKeys)
    {
        var rendered = session.RenderAll();
        if (!rendered.Ok)
        {
            Console.Error.WriteLine($"geodns-sidecar: {rendered.Error}");
            return 1;
        }
        output.WriteLine($"home      {session.Tunnel.Home,-15} {(printKeys ? session.HomeKeys.PublicKey : "")}  {session.Files.HomePath}");
        foreach (var edge in session.Inventory.All().Where(e => e.HoldsTunnel))
            output.WriteLine($"{edge.Name,-9} {edge.Tunnel,-15} {(printKeys ? edge.Keys?.PublicKey : "")}  {session.Files.WireGuardPath(edge.Name)}, nginx.conf");
        foreach (var (nameserver, index) in session.NameserverTunnels.Select((n, i) => (n, i)))
            output.WriteLine($"{nameserver.Tunnel.Name,-9} {session.Tunnel.Nameserver(index),-15} {(printKeys ? nameserver.Keys.PublicKey : "")}  {session.Files.NameserverPath(nameserver.Tunnel.Name)}"
                + (session.Options.Fleet.Configured ? $", {session.FleetPath(nameserver.Tunnel.Name)}/" : ""));
        return 0;
    }
}
