using GeoDns.Pools;
using GeoDns.Health;
using GeoDns.Storage;

namespace GeoDns.Persistence;

/// <summary>
/// What must survive a restart: operator overrides (a drain stays drained, an emergency switch on), recent health
/// transitions, edges added at run time and the host's alerts (an incident announced is not announced again), in one LiteDB file, <see cref="FileName"/>, in the data
/// directory. Open one per process and share it: LiteDB is thread-safe, and a lock file beside
/// it keeps a second store out while it is open. Names (edges, pools) ignore case, as DNS does.
/// </summary>
public sealed class HealthStore : IDisposable
{
    public const string FileName = "geodns.db";

    private readonly LiteFile _file;
    private readonly TimeProvider _time;
    private readonly OverrideTable _overrides;
    private readonly TransitionLog _transitions;
    private readonly EdgeTable _edges;
    private readonly AlertTable _alerts;
    private readonly EmergencyTable _emergencies;

    /// <exception cref="IOException">The file cannot be opened or is not a LiteDB file; the message names it, and the file is left as it was.</exception>
    public HealthStore(string dataDirectory, TimeProvider time, int transitionRetention = 10_000)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(transitionRetention, 1);
        FilePath = Path.Combine(Path.GetFullPath(dataDirectory), FileName);
        _time = time;
        LiteFile? file = null;
        try
        {
            file = new LiteFile(FilePath);
            // The transition log reads at once (indexes, count), so a damaged file fails here, not on the first drain.
            (_file, _overrides, _transitions, _edges, _alerts, _emergencies) =
                (file, new OverrideTable(file.Database), new TransitionLog(file.Database, transitionRetention), new EdgeTable(file.Database), new AlertTable(file.Database),
                 new EmergencyTable(file.Database));
        }
        catch (Exception e)
        {
            file?.Dispose();
            throw new IOException($"Cannot open the health store {FilePath}: {e.Message} (the file was left as it is; move it aside to start afresh)", e);
        }
    }

    public string FilePath { get; }

    public IReadOnlyDictionary<string, EdgeOverride> Overrides() => _overrides.All();

    /// <summary>Drains or undrains an edge; an override left with nothing drained or forced is removed.</summary>
    public EdgeOverride SetDrained(string edge, bool drained, string? reason = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(edge);
        return Durable(_overrides.Change(edge, o => o with { Drained = drained, Changed = _time.GetUtcNow(), Reason = reason }));
    }

    /// <summary>Forces an edge Up or Down, or (null) back to its probes; an override left with nothing drained or forced is removed.</summary>
    public EdgeOverride SetForced(string edge, HealthState? forced, string? reason = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(edge);
        if (forced is not (null or HealthState.Up or HealthState.Down))
            throw new ArgumentException($"An edge can be forced Up or Down (or null to clear), not {forced}.", nameof(forced));
        return Durable(_overrides.Change(edge, o => o with { Forced = forced, Changed = _time.GetUtcNow(), Reason = reason }));
    }

    /// <summary>The pools' emergency switches that are on, by pool name (<see cref="EmergencySwitch.Key"/>).</summary>
    public IReadOnlyDictionary<string, EmergencySwitch> Emergencies() => _emergencies.All();

    /// <summary>
    /// Turns <paramref name="pool"/>'s emergency switch on (it stays on since it was first turned on; a reason given replaces
    /// the one kept) or off. Returns it as it is now (null: off) and whether it moved, which is when the history gets a line.
    /// </summary>
    public (EmergencySwitch? Now, bool Moved) SetEmergency(string pool, bool on, string? reason = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pool);
        return Durable(_emergencies.Set(pool, on, reason, _time.GetUtcNow()));
    }

    /// <summary>Emergency switches turned on or off, newest first.</summary>
    public IReadOnlyList<EmergencyEvent> EmergencyEvents(int take = 50)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        return take == 0 ? [] : _emergencies.Newest(take);
    }

    public void AddTransition(HealthTransition t) => _transitions.Add(t ?? throw new ArgumentNullException(nameof(t)));

    /// <summary>Newest first (by At, then by order of insertion), optionally only those of one target.</summary>
    public IReadOnlyList<HealthTransition> Transitions(int skip = 0, int take = 50, string? target = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        return take == 0 ? [] : _transitions.Newest(skip, take, target);
    }

    public IReadOnlyList<StoredEdge> Edges() => _edges.All();

    /// <summary>Adds the edge, or replaces the one with the same pool and name.</summary>
    public void AddEdge(StoredEdge e)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentException.ThrowIfNullOrWhiteSpace(e.Pool);
        ArgumentException.ThrowIfNullOrWhiteSpace(e.Name);
        _edges.Upsert(e);
        Durable(true);
    }

    public bool RemoveEdge(string pool, string name) => Durable(_edges.Remove(pool, name));

    /// <summary>The keys of the host's alert incidents that are firing.</summary>
    public IReadOnlySet<string> AlertsFiring() => _alerts.Firing();

    /// <summary>Marks an incident firing or over; in the data file at once, since a restart reads it to know what was announced.</summary>
    public void SetAlertFiring(string key, bool firing)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        Durable(_alerts.SetFiring(key, firing));
    }

    /// <summary>Keeps an alert message (the host's text, JSON) and returns its id; the oldest beyond <see cref="AlertTable.Retention"/> go.</summary>
    public int AddAlert(string text) => _alerts.Add(text ?? throw new ArgumentNullException(nameof(text)));

    /// <summary>Replaces message <paramref name="id"/>'s text (its deliveries moved on); history, so not checkpointed at once.</summary>
    public void ReplaceAlert(int id, string text) => _alerts.Replace(id, text ?? throw new ArgumentNullException(nameof(text)));

    /// <summary>The newest alert messages, newest first.</summary>
    public IReadOnlyList<StoredAlert> Alerts(int take = 50)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        return take == 0 ? [] : _alerts.Newest(take);
    }

    /// <summary>
    /// What an operator was told is done is in the data file, not only in LiteDB's log: a log file lost
    /// (deleted, or a crash before LiteDB's own checkpoint) then loses nothing acknowledged. Rare writes;
    /// the frequent ones (transitions) are history and wait for LiteDB's checkpoint.
    /// </summary>
    private T Durable<T>(T result)
    {
        _file.Database.Checkpoint();
        return result;
    }

    public void Dispose() => _file.Dispose();
}
