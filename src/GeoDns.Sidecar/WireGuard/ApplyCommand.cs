using GeoDns.Sidecar.Hooks;

namespace GeoDns.Sidecar.WireGuard;

/// <summary>
/// Loads the home's rewritten peers file (<see cref="HomeConfig"/>) into the running interface. The
/// default uses <c>wg syncconf</c>, which changes only the peers that differ (tunnels to the other
/// edges stay up) and runs nothing from the file, unlike wg-quick. The interface itself is root's,
/// brought up once from a root-owned config (deploy/home/wg0.conf). $WG_INTERFACE is the config's
/// <c>interface</c>, $WG_CONF the file; the line is run by /bin/sh.
/// </summary>
public sealed class ApplyCommand(string? commandLine, string interfaceName, TimeProvider time)
{
    /// <summary>
    /// Needs CAP_NET_ADMIN, nothing else: the sidecar's unit grants it as an ambient capability
    /// (deploy/systemd/geodns-sidecar.service), so the sidecar runs as its own user without sudo.
    /// </summary>
    public const string Default = "wg syncconf \"$WG_INTERFACE\" \"$WG_CONF\"";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the command; an empty command line (applying by hand, or in tests) succeeds at once.</summary>
    public async Task<Outcome> RunAsync(string homeConfig, CancellationToken cancel)
    {
        if (string.IsNullOrWhiteSpace(commandLine)) return Outcome.Success;
        var result = await ShellCommand.RunAsync(commandLine, new Dictionary<string, string> { ["WG_CONF"] = homeConfig, ["WG_INTERFACE"] = interfaceName }, Timeout, time, cancel);
        return result.Succeeded ? Outcome.Success : Outcome.Failed($"apply command: {result.Describe()}", retryable: true);
    }
}
