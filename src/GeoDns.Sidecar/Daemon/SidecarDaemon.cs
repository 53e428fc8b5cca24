using System.Collections.Concurrent;
using GeoDns.Alerts;
using GeoDns.Sidecar.Rotation;
using Microsoft.Extensions.Logging;

namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// <c>run</c>: resumes interrupted rotations, rotates edges that stay Down, re-adds serving edges
/// a (rebuilt) nameserver lacks, reports tunnels home that are down (<see cref="TunnelWatch"/>), reads each edge's
/// signals (<see cref="EdgeSignalsWatch"/>),
/// installs a renewed certificate on every edge, looks at the whole fleet (<see cref="FleetWatch"/>) and alerts on
/// what it sees (<see cref="AlertWatch"/>), and serves <c>POST /v1/rotate/{edge}</c>. A rotation that failed is not retried by itself: a broken hook
/// retried forever could buy VPS after VPS; <c>rotate EDGE</c> or the endpoint retries it.
/// </summary>
public sealed class SidecarDaemon(SidecarSession session, ILoggerFactory logs)
{
    private readonly ILogger _log = logs.CreateLogger<SidecarDaemon>();
    private readonly ConcurrentDictionary<int, Task<RotationRecord>> _running = new();
    private readonly OutageWatch _watch = new(session);
    private readonly PoolReconciler _reconciler = new(session, logs.CreateLogger<PoolReconciler>());
    private readonly TunnelWatch _tunnels = new(session, logs.CreateLogger<TunnelWatch>());
    private readonly EdgeSignalsWatch _signals = new(session, logs.CreateLogger<EdgeSignalsWatch>());
    private readonly Commands.CertificateDistribution _certificates = new(session);
    private readonly FleetWatch _fleet = new(session);
    private readonly AttackWatch _attacks = new(session.Options.Attack, session.Options.Nginx.Mode);
    private readonly Dictionary<string, string> _attackActions = new(StringComparer.OrdinalIgnoreCase);
    private readonly AutoEmergency _emergency = new(session, logs.CreateLogger<AutoEmergency>());
    private readonly TightenWatch _tighten = new(session.Options.Attack.Tighten, session.Options.Attack.Sustain, (verdict, cancel) =>
        session.Inventory.Find(verdict.Edge) is { } edge ? session.Provider.TightenAsync(edge.Host, verdict, session.Options.Attack.Tighten, cancel)
            : Task.FromResult(Outcome.Failed($"{verdict.Edge} is not in the inventory")));
    private readonly TaskCompletionSource<string> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationToken _stopping;

    /// <summary>The endpoint's address once it listens (the real port when the config says 0).</summary>
    public Task<string> Address => _address.Task;

    /// <summary>The home firewall as the start found it (<see cref="Firewall.HomeFirewall"/>); null until checked.</summary>
    public Firewall.FirewallState? Firewall { get; private set; }

    /// <summary>The fleet as the last poll saw it.</summary>
    public FleetSnapshot Fleet => _fleet.Latest;

    /// <summary>Every alert message with its delivery state, kept in the state file.</summary>
    public IAlertLog AlertLog { get; } = new State.StateAlertLog(session.State);

    /// <summary>The rotations this daemon is running now.</summary>
    public IReadOnlyCollection<int> Running => _running.Keys.ToList();

    public async Task RunAsync(CancellationToken cancel)
    {
        _stopping = cancel;
        await CheckFirewallAsync(cancel);
        foreach (var rotation in session.Journal.All().Where(r => r.Status == RotationStatus.Running))
        {
            _log.LogInformation("Resuming rotation {Summary}", rotation.Summary());
            Start(rotation);
        }
        RotationEndpoint endpoint;
        try
        {
            endpoint = await RotationEndpoint.StartAsync(session, this, logs, cancel);
        }
        catch (Exception e)
        {
            _address.TrySetException(e);
            throw;
        }
        await using var _ = endpoint;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await using var alerts = new AlertDispatcher("geodns-sidecar", session.Options.Alerts,
            [.. session.Options.Alerts.Channels.Select(c => AlertChannels.Create(c, http))], AlertLog, session.Time, logs.CreateLogger<AlertDispatcher>());
        alerts.Resume();
        var judge = new AlertWatch(session.Options, alerts);
        _address.TrySetResult(endpoint.Address);
        SystemdNotify.Ready();
        _log.LogInformation("Listening on {Address}; rotating edges Down for {DownFor}", endpoint.Address, session.Options.Rotation.DownFor);
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                foreach (var edge in await _watch.DueAsync(cancel))
                {
                    // Running: nothing to add. Failed: said once when it failed; see the class comment.
                    if (session.Journal.Unfinished(edge) is not null) continue;
                    _log.LogWarning("Edge {Edge} has been Down on every nameserver for {DownFor}: rotating it", edge, session.Options.Rotation.DownFor);
                    if (Request(edge, $"down for {session.Options.Rotation.DownFor}") is { Ok: false } refused)
                        _log.LogWarning("Edge {Edge} not rotated: {Reason}", edge, refused.Error);
                    _watch.Forget(edge);
                }
                await _reconciler.ReconcileAsync(cancel);
                try
                {
                    await _tunnels.CheckAsync(cancel);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _log.LogError(e, "Tunnel check failed; the rest of the daemon goes on");
                }
                try
                {
                    await _signals.ReadAsync(cancel);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _log.LogError(e, "Reading the edges' signals failed; the rest of the daemon goes on");
                }
                try
                {
                    var fleet = await _fleet.LookAsync(_tunnels.Last, _signals.Last, cancel, fleet => fleet with { Attacks = Act(fleet) });
                    judge.Judge(fleet);
                    await _emergency.StepAsync(fleet, cancel);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _log.LogError(e, "Looking at the fleet failed; the rest of the daemon goes on");
                }
                if (!string.IsNullOrWhiteSpace(session.Options.Hooks.Certificate) && _certificates.Changed())
                    await PushCertificatesAsync(cancel);
                await Task.Delay(session.Options.Rotation.PollInterval, session.Time, cancel);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                break;
            }
        }
        // The signals read since the last save (at most a minute of them) are kept for the next start's history.
        _signals.Save();
        // Interrupted rotations stay Running in the journal, and the next start resumes them.
        await Task.WhenAll(_running.Values.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        // What is still in the group window goes out now rather than never; a channel that hangs does not hold the stop.
        await alerts.FlushAsync().WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>
    /// Says at start whether the home's WireGuard firewall is loaded. A missing one is an error in the log,
    /// not a reason to stop: the tunnels and rotations it would leave unattended matter more.
    /// </summary>
    private async Task CheckFirewallAsync(CancellationToken cancel)
    {
        var state = Firewall = await GeoDns.Sidecar.Firewall.HomeFirewall.CheckAsync(session.Options, session.Time, cancel);
        if (state.Loaded) _log.LogInformation("Home firewall: {Detail}", state.Detail);
        else if (state.Checked) _log.LogError("Home firewall missing: {Detail}", state.Detail);
        else _log.LogWarning("Home firewall: {Detail}", state.Detail);
    }

    /// <summary>Installs the home's certificate on every live edge (on change, and on <c>POST /v1/certificates</c>).</summary>
    public async Task<IReadOnlyList<(string Edge, Outcome Outcome)>> PushCertificatesAsync(CancellationToken cancel)
    {
        var results = await _certificates.PushAsync(cancel);
        foreach (var (edge, outcome) in results)
        {
            if (outcome.Ok) _log.LogInformation("Certificate installed on {Edge}", edge);
            else _log.LogWarning("Certificate not installed on {Edge}: {Error}", edge, outcome.Error);
        }
        return results;
    }

    /// <summary>
    /// The attack verdicts of this look, each with its action (<c>attack.policy</c>): an alert only, the edge tightened
    /// (<see cref="TightenWatch"/>), or a rotation begun at once, within the budget and <c>rotation.maxConcurrent</c>
    /// (refused, it is asked again next poll). An edge with a rotation running is not rotated twice; one whose rotation
    /// failed waits for <c>rotate EDGE</c>, as any failure does.
    /// </summary>
    private List<AttackVerdict> Act(FleetSnapshot fleet)
    {
        var verdicts = _attacks.Judge(fleet);
        var acted = new List<AttackVerdict>();
        foreach (var verdict in verdicts)
        {
            string action;
            var policy = session.Options.Attack.Policy.For(verdict.Kind);
            var unfinished = session.Journal.Unfinished(verdict.Edge);
            var (tightened, rotate) = ("", policy == AttackAction.Rotate);
            if (policy == AttackAction.Tighten && unfinished is null)
                (tightened, rotate) = _tighten.Step(verdict, fleet.At, _stopping);
            if (policy == AttackAction.Alert) action = $"alert only (attack.policy.{verdict.KindName})";
            else if (unfinished is not null)
                action = unfinished.Status == RotationStatus.Running ? $"rotating it now (rotation #{unfinished.Id})"
                    : $"not rotated: rotation #{unfinished.Id} failed at {unfinished.Step}; `geodns-sidecar rotate {verdict.Edge}` retries it";
            else if (!rotate) action = tightened;
            else
            {
                // Out of the answers at once when the pool answers well without it; else once its replacement is Up.
                var drainFirst = AttackWatch.Spare(fleet, verdict.Edge, verdicts);
                var requested = Request(verdict.Edge, verdict.Trigger, drainFirst);
                action = (tightened.Length > 0 ? tightened + ": " : "") + (requested.Ok
                    ? $"rotating it now (rotation #{requested.Value!.Id}; {(drainFirst ? "drained at once, the pool keeps enough edges Up" : "it leaves the answers once its replacement is Up")})"
                    : $"not rotated: {requested.Error}");
            }
            if (!_attackActions.TryGetValue(verdict.Edge, out var before) || before != action)
                _log.LogWarning("Edge {Edge} under attack: {Verdict}: {Action}", verdict.Edge, verdict.Text, action);
            _attackActions[verdict.Edge] = action;
            acted.Add(verdict with { Action = action });
        }
        _tighten.Keep(verdicts.Where(v => v.Kind == AttackKind.Flood).Select(v => v.Edge));
        foreach (var cleared in _attackActions.Keys.Where(e => !verdicts.Any(v => v.Edge.Equals(e, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            _log.LogInformation("Edge {Edge} no longer under attack", cleared);
            _attackActions.Remove(cleared);
        }
        return acted;
    }

    /// <summary>Starts (or finds running) the rotation of <paramref name="edge"/>; or why it cannot.</summary>
    public Outcome<RotationRecord> Request(string edge, string trigger, bool drainFirst = false)
    {
        var prepared = session.Engine.Prepare(edge, trigger, drainFirst);
        if (prepared.Ok) Start(prepared.Value!);
        return prepared;
    }

    private void Start(RotationRecord rotation) => _running.GetOrAdd(rotation.Id, _ => RunOneAsync(rotation));

    private async Task<RotationRecord> RunOneAsync(RotationRecord rotation)
    {
        await Task.Yield(); // the entry is in _running before the rotation can end and remove it
        try
        {
            return await session.Engine.RunAsync(rotation, cancel: _stopping);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogError(e, "Rotation #{Id} broke off; it resumes at the next start", rotation.Id);
            throw;
        }
        finally
        {
            _running.TryRemove(rotation.Id, out _);
        }
    }
}
