using GeoDns.Sidecar.Signals;
using GeoDns.Sidecar.State;
using Microsoft.Extensions.Logging;

namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// Part of <c>run</c>: each poll, reads every live edge's signals through its tunnel (all at once, each within
/// <see cref="EdgeSignalsReader.Timeout"/>) and keeps each edge's history (<see cref="EdgeSignalsTrack"/>). An edge
/// whose signals cannot be read, or whose samples stopped changing, is unreadable with the reason: never zeros.
/// The history is kept in the state file too (<see cref="SignalsStore"/>), so a restart loses none of it: loaded when
/// the watch is made, saved every <see cref="SaveEvery"/> and at <see cref="Save"/> when <c>run</c> stops.
/// </summary>
public sealed class EdgeSignalsWatch
{
    /// <summary>How often the tracks that changed are saved: a crash loses at most this much, and a home server's disk (often an SD card) is spared a write every poll.</summary>
    public static readonly TimeSpan SaveEvery = TimeSpan.FromMinutes(1);

    private readonly SidecarSession _session;
    private readonly ILogger _log;
    private readonly EdgeSignalsReader _reader;
    private readonly SignalsStore _store;
    private readonly Dictionary<string, EdgeSignalsTrack> _tracks;
    private readonly HashSet<string> _unsaved = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _problems = new(StringComparer.OrdinalIgnoreCase);
    private DateTimeOffset _savedAt;

    public EdgeSignalsWatch(SidecarSession session, ILogger log)
    {
        (_session, _log) = (session, log);
        _reader = new EdgeSignalsReader(session.Http, session.Options.Signals.Port, session.Time);
        _store = new SignalsStore(session.State, session.Options.Signals.History, log);
        _tracks = _store.Load([.. Live().Select(e => e.Name)]);
        _savedAt = session.Time.GetUtcNow();
    }

    /// <summary>Each live edge's signals as the last read left them.</summary>
    public IReadOnlyDictionary<string, EdgeSignals> Last { get; private set; } = new Dictionary<string, EdgeSignals>();

    /// <summary>A sample unchanged this long means the edge's script stopped writing (the file nginx serves stays).</summary>
    public TimeSpan StaleAfter => 3 * (_session.Options.Signals.Interval > _session.Options.Rotation.PollInterval ? _session.Options.Signals.Interval : _session.Options.Rotation.PollInterval);

    public async Task ReadAsync(CancellationToken cancel)
    {
        var edges = Live();
        var reads = await Task.WhenAll(edges.Select(e => _reader.ReadAsync(e.Tunnel!, cancel)));
        var now = _session.Time.GetUtcNow();
        var last = new Dictionary<string, EdgeSignals>(StringComparer.OrdinalIgnoreCase);
        foreach (var (edge, read) in edges.Zip(reads))
        {
            if (!_tracks.TryGetValue(edge.Name, out var track)) _tracks[edge.Name] = track = new EdgeSignalsTrack(_session.Options.Signals.History);
            var error = read.Error;
            if (read.Ok && track.Add(read.Value!, now)) _unsaved.Add(edge.Name);
            else if (read.Ok && now - track.ChangedAt > StaleAfter)
                error = $"unchanged for {(now - track.ChangedAt!.Value).TotalSeconds:0} s: geodns-edge-signals on the edge is not writing";
            Say(edge.Name, error);
            last[edge.Name] = new EdgeSignals(error, track.Last, error is null ? track.Latest : null, track.Points, track.ChangedAt);
        }
        foreach (var gone in _tracks.Keys.Where(name => !last.ContainsKey(name)).ToList())
        {
            _tracks.Remove(gone);
            _unsaved.Remove(gone);
            _problems.Remove(gone);
            if (_store.Delete(gone) is { Ok: false } failed) _log.LogWarning("Stored signals history of {Edge} not deleted: {Error}", gone, failed.Error);
        }
        Last = last;
        if (now - _savedAt >= SaveEvery) Save();
    }

    /// <summary>Saves the tracks changed since the last save: every <see cref="SaveEvery"/> of polls, and when <c>run</c> stops.</summary>
    public void Save()
    {
        _savedAt = _session.Time.GetUtcNow();
        foreach (var edge in _unsaved.ToList())
        {
            var saved = _store.Save(edge, _tracks[edge]);
            if (saved.Ok) _unsaved.Remove(edge);
            else _log.LogWarning("Signals history of {Edge} not saved (tried again at the next save): {Error}", edge, saved.Error);
        }
    }

    private List<KnownEdge> Live() => [.. _session.Inventory.All().Where(e => e is { HoldsTunnel: true, Tunnel: not null } && e.Host.Exists)];

    /// <summary>A change of state is logged once, not every poll.</summary>
    private void Say(string edge, string? error)
    {
        if (error is null)
        {
            if (_problems.Remove(edge)) _log.LogInformation("Signals of {Edge} readable again", edge);
        }
        else if (!_problems.TryGetValue(edge, out var before) || before != error)
        {
            if (before is null) _log.LogWarning("Signals of {Edge} unreadable: {Error}", edge, error);
            _problems[edge] = error;
        }
    }
}
