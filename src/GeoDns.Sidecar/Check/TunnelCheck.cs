using GeoDns.Sidecar.Daemon;
using GeoDns.Sidecar.Hooks;
using GeoDns.Sidecar.WireGuard;

namespace GeoDns.Sidecar.Check;

/// <summary>
/// Every tunnel of the home (each edge's and each nameserver's), judged as <c>run</c> judges them
/// (<see cref="TunnelState.Judge"/>) from <c>tunnelCheck.command</c>. One difference: the daemon gives a peer that
/// never handshook <c>staleAfter</c> from when it first saw it; a one-off check has no such past, so "never" fails.
/// </summary>
public static class TunnelCheck
{
    public static async Task<IReadOnlyList<CheckResult>> RunAsync(FleetView fleet, CancellationToken cancel)
    {
        var options = fleet.Options;
        if (string.IsNullOrWhiteSpace(options.TunnelCheck.Command))
            return [CheckResult.Pass("tunnels", "not checked: tunnelCheck.command is empty")];
        var peersFile = Path.Combine(options.WireguardDir, options.Interface + ".peers");
        IReadOnlyList<(string Name, string PublicKey)> peers;
        try
        {
            peers = HomePeers.Parse(await File.ReadAllTextAsync(peersFile, cancel));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [CheckResult.Fail("tunnels", $"cannot read {peersFile}: {e.Message}", "run `geodns-sidecar keys` (it writes the file), and check as the sidecar's user")];
        }
        var shown = await ShellCommand.RunAsync(options.TunnelCheck.Command, new Dictionary<string, string> { ["WG_INTERFACE"] = options.Interface },
            fleet.Timeout, fleet.Time, cancel);
        if (!shown.Succeeded)
            return [CheckResult.Fail("tunnels", $"'{options.TunnelCheck.Command}' failed ({shown.Describe()})",
                $"bring the interface {options.Interface} up (wg-quick up), and run check as the sidecar's user (it needs CAP_NET_ADMIN, as `run` does)")];
        var handshakes = LatestHandshakes.Parse(shown.Stdout);
        var now = fleet.Time.GetUtcNow();
        var staleAfter = options.TunnelCheck.StaleAfter;
        var nameservers = options.NameserverTunnels.Select(t => t.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return peers.Select(peer =>
        {
            var what = $"tunnel {peer.Name}";
            var fix = nameservers.Contains(peer.Name)
                ? $"{peer.Name}'s WireGuard is down or blocked: `wg show` there, its UDP port open (manual-install.md §6), the endpoint in nameserverTunnels"
                : $"{peer.Name} does not reach home: its WireGuard (`wg show` on it); `run` reports it to the nameservers and rotates it if it stays Down";
            if (!handshakes.TryGetValue(peer.PublicKey, out var latest))
                return CheckResult.Fail(what, $"not a peer of {options.Interface}", $"apply the peers file: `wg syncconf {options.Interface} {peersFile}` (run does it at every change)");
            if (latest is null) return CheckResult.Fail(what, $"WireGuard: no handshake since {options.Interface} came up", fix);
            var state = TunnelState.Judge(latest, now, now, staleAfter);
            return state.Stale ? CheckResult.Fail(what, state.Reason, fix) : CheckResult.Pass(what, state.Reason);
        }).ToList();
    }
}
