using GeoDns.Sidecar.Signals;
using Microsoft.Extensions.Logging;

namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// Part of <c>run</c>: each poll, reads every live edge's signals through its tunnel (all at once, each within
/// <see cref="EdgeSignalsReader.Timeout"/>) and keeps each edge's history (<see cref="EdgeSignalsTrack"/>). An edge
/// whose signals cannot be read, or whose samples stopped changing, is unreadable with the reason: never zeros.
/// </summary>
public sealed class EdgeSignalsWatch(SidecarSession session, ILogger log)
{
    private readonly EdgeSignalsReader _reader = new(session.Http, session.Options.Signals.Port, session.Time);
    private readonly Dictionary<string, EdgeSignalsTrack> _tracks = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _problems = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Each live edge's signals as the last read left them.</summary>
    public IReadOnlyDictionary<string, EdgeSignals> Last { get; private set; } = new Dictionary<string, EdgeSignals>();

    /// <summary>A sample unchanged this long means the edge's script stopped writing (the file nginx serves stays).</summary>
    public TimeSpan StaleAfter => 3 * (session.Options.Signals.Interval > session.Options.Rotation.PollInterval ? session.Options.Signals.Interval : session.Options.Rotation.PollInterval);

    public async Task ReadAsync(CancellationToken cancel)
    {
        var edges = session.Inventory.All().Where(e => e is { HoldsTunnel: true, Tunnel: not null } && e.Host.Exists).ToList();
        var reads = await Task.WhenAll(edges.Select(e => _reader.ReadAsync(e.Tunnel!, cancel)));
        var now = session.Time.GetUtcNow();
        var last = new Dictionary<string, EdgeSignals>(StringComparer.OrdinalIgnoreCase);
        foreach (var (edge, read) in edges.Zip(reads))
        {
            if (!_tracks.TryGetValue(edge.Name, out var track)) _tracks[edge.Name] = track = new EdgeSignalsTrack(session.Options.Signals.History);
            var error = read.Error;
            if (read.Ok && !track.Add(read.Value!, now) && now - track.ChangedAt > StaleAfter)
                error = $"unchanged for {(now - track.ChangedAt!.Value).TotalSeconds:0} s: geodns-edge-signals on the edge is not writing";
            Say(edge.Name, error);
            last[edge.Name] = new EdgeSignals(error, track.Last, error is null ? track.Latest : null, track.Points, track.ChangedAt);
        }
        foreach (var gone in _tracks.Keys.Where(name => !last.ContainsKey(name)).ToList())
        {
            _tracks.Remove(gone);
            _problems.Remove(gone);
        }
        Last = last;
    }

    /// <summary>A change of state is logged once, not every poll.</summary>
    private void Say(string edge, string? error)
    {
        if (error is null)
        {
            if (_problems.Remove(edge)) log.LogInformation("Signals of {Edge} readable again", edge);
        }
        else if (!_problems.TryGetValue(edge, out var before) || before != error)
        {
            if (before is null) log.LogWarning("Signals of {Edge} unreadable: {Error}", edge, error);
            _problems[edge] = error;
        }
    }
}
