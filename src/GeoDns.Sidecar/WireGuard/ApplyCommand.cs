using GeoDns.Sidecar.Hooks;

namespace GeoDns.Sidecar.WireGuard;

/// <summary>
/// Loads the home's rewritten wg0.conf into the running interface. The default uses
/// <c>wg syncconf</c>, which changes only the peers that differ: tunnels to the other edges stay up.
/// $WG_INTERFACE is the config's <c>interface</c>. It is written for /bin/sh (dash on Debian has no <c>&lt;(...)</c>), with the file in $WG_CONF.
/// </summary>
public sealed class ApplyCommand(string? commandLine, string interfaceName, TimeProvider time)
{
    /// <summary>
    /// What <c>wg-quick strip</c> does (drops wg-quick's own keys, which <c>wg</c> refuses), as a sed
    /// line: wg-quick re-runs itself through sudo when not root, and the sidecar runs as its own
    /// user with CAP_NET_ADMIN only (deploy/systemd/geodns-sidecar.service).
    /// </summary>
    public const string Strip = "sed -E '/^[[:space:]]*(Address|DNS|MTU|Table|PreUp|PostUp|PreDown|PostDown|SaveConfig)[[:space:]]*=/Id'";

    public const string Default = Strip + " \"$WG_CONF\" | wg syncconf \"$WG_INTERFACE\" /dev/stdin";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the command; an empty command line (applying by hand, or in tests) succeeds at once.</summary>
    public async Task<Outcome> RunAsync(string homeConfig, CancellationToken cancel)
    {
        if (string.IsNullOrWhiteSpace(commandLine)) return Outcome.Success;
        var result = await ShellCommand.RunAsync(commandLine, new Dictionary<string, string> { ["WG_CONF"] = homeConfig, ["WG_INTERFACE"] = interfaceName }, Timeout, time, cancel);
        return result.Succeeded ? Outcome.Success : Outcome.Failed($"apply command: {result.Describe()}", retryable: true);
    }
}
