using System.Text.RegularExpressions;
using GeoDns.Sidecar.Hooks;

namespace GeoDns.Sidecar.Firewall;

/// <summary>
/// Checks that the home's WireGuard firewall (deploy/home/geodns-home.nft) is loaded: without it,
/// an edge's tunnel address reaches every home service bound to all addresses (sshd, databases,
/// admin pages), not only the web port. The sidecar cannot load it (the ruleset is root's, so a
/// compromised sidecar cannot write it); it says so loudly instead, and runs on.
/// </summary>
public static class HomeFirewall
{
    public const string Table = "geodns-home";

    /// <summary>nft by its full path: the sidecar's commands run with a reset PATH (deploy/home/geodns-sidecar), which lacks /usr/sbin.</summary>
    public const string DefaultCommand = "/usr/sbin/nft list table inet " + Table;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The check <paramref name="options"/> ask for: their command, interface and the edges' port at home.</summary>
    public static Task<FirewallState> CheckAsync(SidecarOptions options, TimeProvider time, CancellationToken cancel) =>
        CheckAsync(options.FirewallCheck, options.Interface, options.Nginx.HomePort, time, cancel);

    /// <summary>
    /// Runs <paramref name="command"/> (it prints the table); the table must name the interface
    /// (<c>iifname "wg0"</c>), or it guards some other one, and accept <paramref name="webPort"/>, the
    /// port the edges' nginx proxies to, or every edge serves 502. An empty command is not checked.
    /// </summary>
    public static async Task<FirewallState> CheckAsync(string? command, string interfaceName, int webPort, TimeProvider time, CancellationToken cancel)
    {
        if (string.IsNullOrWhiteSpace(command)) return FirewallState.NotChecked;
        var how = $"'{command}'";
        ShellResult listed;
        try
        {
            listed = await ShellCommand.RunAsync(command, new Dictionary<string, string> { ["WG_INTERFACE"] = interfaceName }, Timeout, time, cancel);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return new FirewallState(false, true, $"{how} could not run ({e.Message}); {Advice}");
        }
        if (!listed.Succeeded) return new FirewallState(false, true, $"{how} failed ({listed.Describe()}): the ruleset is not loaded; {Advice}");
        if (!listed.Stdout.Contains($"\"{interfaceName}\"", StringComparison.Ordinal))
            return new FirewallState(false, true, $"{how} does not name the interface \"{interfaceName}\": the ruleset guards another interface; set geodns_wg in it; {Advice}");
        if (!Regex.IsMatch(listed.Stdout, $@"dport (\{{[^}}]*\b{webPort}\b[^}}]*\}}|{webPort}\b)[^\n]* accept"))
            return new FirewallState(false, true, $"{how} accepts no tcp dport {webPort} (nginx.upstreamPort): edges cannot reach the home's web server; set geodns_web_ports in deploy/home/geodns-home.nft and load it again");
        return new FirewallState(true, true, $"{how} lists the table for \"{interfaceName}\", web port {webPort}");
    }

    private const string Advice = "every home service is reachable from the edges' tunnel addresses until root loads deploy/home/geodns-home.nft (docs/deployment.md, section 4)";
}
