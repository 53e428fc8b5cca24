namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// <c>tunnelCheck</c>: how <c>run</c> watches each edge's tunnel home and reports a stale one to every nameserver
/// (which then answers without the edge, though its probes see nginx accept).
/// </summary>
public sealed class TunnelCheckOptions
{
    public const string DefaultCommand = "wg show \"$WG_INTERFACE\" latest-handshakes";

    /// <summary>Prints the home interface's latest handshakes ($WG_INTERFACE is <c>interface</c>); empty turns the check off.</summary>
    public string? Command { get; set; } = DefaultCommand;

    /// <summary>
    /// A tunnel whose latest handshake is older than this is down. 180 s is WireGuard's Reject-After-Time: a live
    /// tunnel (keepalive 25 s) re-handshakes every 2 minutes, and a session older than 3 carries no data at all.
    /// A peer that never handshook counts from when <c>run</c> first saw it.
    /// </summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>How long each report holds on a nameserver unless renewed (every <c>rotation.pollInterval</c>): a sidecar that dies pins no edge down longer.</summary>
    public TimeSpan Hold { get; set; } = TimeSpan.FromSeconds(60);

    public IEnumerable<string> Problems(TimeSpan pollInterval)
    {
        if (StaleAfter < TimeSpan.FromSeconds(1)) yield return "tunnelCheck.staleAfter must be at least 1 s";
        if (Hold < TimeSpan.FromSeconds(1) || Hold > TimeSpan.FromHours(1)) yield return "tunnelCheck.hold must be 1 s to 1 h (the nameservers' limit)";
        else if (Hold < 2 * pollInterval) yield return $"tunnelCheck.hold {Hold} is less than two rotation.pollInterval ({pollInterval}): one late poll would let a report lapse";
    }
}
