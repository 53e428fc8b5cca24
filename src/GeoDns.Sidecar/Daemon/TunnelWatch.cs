using GeoDns.Sidecar.Hooks;
using GeoDns.Sidecar.WireGuard;
using Microsoft.Extensions.Logging;

namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// Part of <c>run</c>: each poll, reads the home interface's latest handshakes (<see cref="TunnelCheckOptions.Command"/>)
/// and tells every nameserver which edges' tunnels are down (<see cref="TunnelState.Judge"/>): such an edge accepts
/// connections, so the nameservers' TCP probes see it Up, yet nothing it takes in reaches home. A stale tunnel's
/// report is renewed every poll (each holds <see cref="TunnelCheckOptions.Hold"/>), and cleared once it is fresh
/// again (retried each poll until every nameserver took it; a lost clear expires anyway). When the command fails,
/// nothing is reported: no knowledge is not a tunnel down.
/// </summary>
public sealed class TunnelWatch(SidecarSession session, ILogger log)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, DateTimeOffset> _watchedSince = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _reportedDown = new(StringComparer.OrdinalIgnoreCase);
    private string? _commandProblem;

    /// <summary>Each edge as the last check judged it.</summary>
    public IReadOnlyDictionary<string, TunnelState> Last { get; private set; } = new Dictionary<string, TunnelState>();

    public async Task CheckAsync(CancellationToken cancel)
    {
        var options = session.Options.TunnelCheck;
        if (string.IsNullOrWhiteSpace(options.Command) || session.RotationProblem is not null) return;
        var shown = await ShellCommand.RunAsync(options.Command, new Dictionary<string, string> { ["WG_INTERFACE"] = session.Options.Interface }, CommandTimeout, session.Time, cancel);
        if (!shown.Succeeded)
        {
            var problem = shown.Describe();
            if (problem != _commandProblem) log.LogWarning("Tunnel check: '{Command}' failed ({Problem}); no tunnel is reported until it works", options.Command, problem);
            _commandProblem = problem;
            return;
        }
        if (_commandProblem is not null) log.LogInformation("Tunnel check: '{Command}' works again", options.Command);
        _commandProblem = null;

        var handshakes = LatestHandshakes.Parse(shown.Stdout);
        var now = session.Time.GetUtcNow();
        var judged = new Dictionary<string, TunnelState>(StringComparer.OrdinalIgnoreCase);
        foreach (var edge in session.Inventory.All().Where(e => e is { HoldsTunnel: true, Keys: not null, Tunnel: not null } && e.Host.Exists))
        {
            var since = _watchedSince.TryGetValue(edge.Name, out var first) ? first : _watchedSince[edge.Name] = now;
            var state = judged[edge.Name] = TunnelState.Judge(handshakes.GetValueOrDefault(edge.Keys!.PublicKey), since, now, options.StaleAfter);
            if (state.Stale)
            {
                var firstReport = _reportedDown.Add(edge.Name);
                if (firstReport) log.LogWarning("Tunnel to {Edge} is down ({Reason}): reporting it to every nameserver, renewed every poll", edge.Name, state.Reason);
                await ReportAsync(edge.Name, state, loud: firstReport, cancel);
            }
            else if (_reportedDown.Contains(edge.Name))
            {
                log.LogInformation("Tunnel to {Edge} is up again ({Reason}): clearing its report", edge.Name, state.Reason);
                if (await ReportAsync(edge.Name, state, loud: true, cancel)) _reportedDown.Remove(edge.Name);
            }
        }
        foreach (var gone in _watchedSince.Keys.Where(name => !judged.ContainsKey(name)).ToList())
        {
            _watchedSince.Remove(gone);
            _reportedDown.Remove(gone); // destroyed: its report expires on the nameservers
        }
        Last = judged;
    }

    /// <summary>True when every nameserver took it.</summary>
    private async Task<bool> ReportAsync(string edge, TunnelState state, bool loud, CancellationToken cancel)
    {
        var outcomes = await session.Nameservers.ReportTunnelAsync(edge, state, session.Options.TunnelCheck.Hold, cancel);
        foreach (var (nameserver, outcome) in outcomes.Where(o => !o.Outcome.Ok || o.Outcome.Note is not null))
            log.Log(loud ? LogLevel.Warning : LogLevel.Debug, "Tunnel report of {Edge} to {Nameserver}: {Outcome}", edge, nameserver, outcome.Error ?? outcome.Note);
        return outcomes.All(o => o.Outcome.Ok);
    }
}
