using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoDns.Health;

// Past 300 lines (about 350): what is left is the glue around one lock and one status map (the targets, the
// schedule, a round's plan and its result), and a further split would hand that lock across types. The parts that
// stand on their own are their own types: ConfirmRound, Isolation, PassiveSignals, HeldConnection, ProbeRunner, HealthEvents, ReportFeed.
/// <summary>
/// Probes every target on its own schedule and keeps an immutable <see cref="HealthReport"/> that
/// readers take without locks. Each target is probed every Interval (less up to 10 % jitter, so
/// targets added together drift apart) with its adaptive connect timeout; the probe that makes it
/// Suspect (or fails a target still Unknown) is followed at once by a confirming round (<see cref="ConfirmRound"/>), and a failure with
/// no reply anywhere is this nameserver's own outage, not the edges' (<see cref="Isolation"/>). One
/// round per target at a time, <c>maxConcurrentProbes</c> probes in all. All waiting goes through
/// the TimeProvider.
/// </summary>
public sealed class HealthMonitor : IAsyncDisposable
{
    /// <summary>
    /// Added to the first round's probe and confirmation time while waiting for it: a start-up is the
    /// busiest moment of the process (JIT, every listener opening), and a probe cut off here leaves a
    /// healthy edge out of the first answers. Only a probe that hangs (a bug) costs this much.
    /// </summary>
    private static readonly TimeSpan FirstRoundMargin = TimeSpan.FromSeconds(2);
    /// <summary>A zero interval in the settings would otherwise probe in a busy loop.</summary>
    private static readonly TimeSpan MinimumDelay = TimeSpan.FromMilliseconds(50);

    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ProbeRunner _runner;
    private readonly HealthEvents _events;
    private readonly ConfirmRound _confirm;
    private readonly Isolation _isolation;
    private readonly CertificateWatch _certificates;
    private readonly Lock _gate = new();
    private readonly Dictionary<ProbeTarget, MonitoredTarget> _targets = [];
    private readonly HashSet<Task> _running = [];
    private readonly ReportFeed _feed = new();
    private ImmutableDictionary<ProbeTarget, TargetStatus> _statuses = ImmutableDictionary<ProbeTarget, TargetStatus>.Empty;
    private bool _disposed;
    private readonly PassiveSignals _passive;

    public HealthMonitor(TimeProvider time, ILogger<HealthMonitor>? log = null, int maxConcurrentProbes = 64, Func<ProbeSettings, IProbe>? probes = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentProbes, 1);
        _time = time;
        var logger = _log = log ?? (ILogger)NullLogger.Instance;
        _runner = new ProbeRunner(time, logger, maxConcurrentProbes, probes ?? new ProbeCatalog(time).For);
        _events = new HealthEvents(logger);
        _confirm = new ConfirmRound(_runner, time);
        _isolation = new Isolation(time, logger);
        _passive = new PassiveSignals(time, ExpirePassive);
        _certificates = new CertificateWatch(logger);
        _events.Probed += _certificates.Observe;
    }

    public HealthReport Current => _feed.Current;

    /// <summary>Raised after a target changes state or the set of targets changes; not after every probe.</summary>
    public event Action<HealthReport>? Changed
    {
        add => _events.Changed += value;
        remove => _events.Changed -= value;
    }

    /// <summary>Raised once per state change, in order for each target.</summary>
    public event Action<HealthTransition>? Transitioned
    {
        add => _events.Transitioned += value;
        remove => _events.Transitioned -= value;
    }

    /// <summary>
    /// Raised after every applied probe result (for counters such as probes per target); handlers run
    /// on the probing thread outside the monitor's lock, and one that throws is logged, not rethrown.
    /// </summary>
    public event Action<(ProbeTarget Target, ProbeResult Result)>? Probed
    {
        add => _events.Probed += value;
        remove => _events.Probed -= value;
    }

    /// <summary>
    /// New targets start Unknown and are probed at once; removed ones stop; kept ones keep their state. A target
    /// that only changed how it is probed (interval, timeout, thresholds: the same type, address and port) keeps
    /// its state too, so a tuned probe setting does not send every edge back to Unknown.
    /// </summary>
    public void SetTargets(IEnumerable<ProbeTarget> targets)
    {
        var wanted = targets.ToHashSet();
        var changed = false;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var retuned = new Dictionary<string, TargetStatus>();
            foreach (var gone in _targets.Keys.Where(t => !wanted.Contains(t)).ToList())
            {
                if (_statuses.TryGetValue(gone, out var kept)) retuned[gone.ToString()] = kept;
                _targets.Remove(gone, out var monitored);
                monitored!.Stop();
                _statuses = _statuses.Remove(gone);
                _isolation.Forget(gone, _statuses);
                if (!wanted.Any(t => t.ToString() == gone.ToString())) _certificates.Forget(gone);
                changed = true;
            }
            var now = _time.GetUtcNow();
            foreach (var target in wanted.Where(t => !_targets.ContainsKey(t)))
            {
                var monitored = new MonitoredTarget(target, _time, StartProbe);
                _targets.Add(target, monitored);
                _statuses = _statuses.SetItem(target, retuned.GetValueOrDefault(target.ToString()) ?? TargetStatus.Initial(now));
                StartProbe(monitored);
                if (target.Settings.HoldConnection) Track(Task.Run(() => HeldConnection.KeepAsync(monitored, _runner.HoldAsync, ProbeOnceAsync, _time, _log)));
                changed = true;
            }
            if (changed) Publish();
        }
        if (changed) Notify(null);
    }

    /// <summary>
    /// A passive signal for every target at <paramref name="address"/> (<see cref="PassiveSignals"/>): it counts as
    /// Down for <paramref name="holdFor"/> (renew to keep it), whatever its probes say. Null clears it.
    /// Returns how many targets it touched (0: the address is not monitored).
    /// </summary>
    public int SetPassive(System.Net.IPAddress address, string? reason, TimeSpan holdFor)
    {
        var transitions = new List<HealthTransition>();
        int touched;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _statuses = _passive.Set(_statuses, address, reason, holdFor, transitions, out touched);
            if (touched > 0) Publish();
        }
        foreach (var transition in transitions) Notify(transition);
        if (touched > 0 && transitions.Count == 0) Notify(null); // renewed: the report still changed
        return touched;
    }

    private void ExpirePassive()
    {
        var transitions = new List<HealthTransition>();
        lock (_gate)
        {
            if (_disposed) return;
            _statuses = _passive.Expire(_statuses, transitions);
            Publish();
        }
        foreach (var transition in transitions) Notify(transition);
    }

    /// <summary>
    /// Completes when every current target has a first state (a first failure confirmed, as later ones are), or
    /// once the longest first round can have ended (its probe and confirming rounds, plus a margin) if some edge
    /// is slow to settle: start-up must not hang on one edge. An edge still Unknown then is not answered until it settles.
    /// </summary>
    public async Task WaitForFirstRoundAsync(CancellationToken ct)
    {
        TimeSpan longest;
        lock (_gate) longest = _targets.Keys.Select(t => t.Settings.Timeout * Math.Max(1, t.Settings.FailuresToDown)).DefaultIfEmpty().Max();
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            var deadline = Task.Delay(longest + FirstRoundMargin, _time, giveUp.Token);
            await _feed.WaitAsync(report => report.Targets.Values.All(s => s.State != HealthState.Unknown), deadline);
        }
        finally
        {
            giveUp.Cancel(); // drop the deadline's timer
        }
        var unsettled = Current.Targets.Where(t => t.Value.State == HealthState.Unknown).Select(t => t.Key.ToString()).ToList();
        if (unsettled.Count > 0)
            _log.LogWarning("First probe round not settled after {Seconds} s for {Targets}: not answered until their probes settle",
                (longest + FirstRoundMargin).TotalSeconds, string.Join(", ", unsettled));
    }

    /// <summary>
    /// Probes <paramref name="target"/> now, out of schedule, and applies the result (after any probe
    /// of it already running). Null if the target is not monitored, or stops being monitored meanwhile.
    /// </summary>
    public async Task<ProbeResult?> ProbeNowAsync(ProbeTarget target)
    {
        MonitoredTarget? monitored;
        Task<ProbeResult?> probe;
        lock (_gate)
        {
            if (!_targets.TryGetValue(target, out monitored)) return null;
            probe = Track(Task.Run(() => ProbeOnceAsync(monitored, monitored.Stopping.Token)));
        }
        try
        {
            return await probe;
        }
        catch (OperationCanceledException) when (monitored.Stopping.IsCancellationRequested)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] running;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _passive.Dispose();
            foreach (var monitored in _targets.Values) monitored.Stop();
            _targets.Clear();
            running = [.. _running];
        }
        // Wait for probes in flight, so no socket stays open and no event is raised after disposal.
        foreach (var task in running)
        {
            try { await task; }
            catch (OperationCanceledException) { }
        }
    }

    private void StartProbe(MonitoredTarget monitored)
    {
        lock (_gate)
        {
            if (monitored.Stopping.IsCancellationRequested) return;
            Track(Task.Run(() => ScheduledProbeAsync(monitored)));
        }
    }

    private async Task ScheduledProbeAsync(MonitoredTarget monitored)
    {
        try
        {
            await ProbeOnceAsync(monitored, monitored.Stopping.Token);
        }
        catch (OperationCanceledException) when (monitored.Stopping.IsCancellationRequested)
        {
            // Removed or disposed while probing: nothing to apply.
        }
    }

    /// <summary>
    /// One probe, and if it puts the target in doubt (<see cref="TargetStatus.InDoubt"/>), confirming rounds at once until it is settled
    /// (Up on any success, Down after FailuresToDown failed rounds, or held). Bounded: every round
    /// that does not settle the target counts one failure towards Down.
    /// </summary>
    private async Task<ProbeResult?> ProbeOnceAsync(MonitoredTarget monitored, CancellationToken ct)
    {
        await monitored.InFlight.WaitAsync(ct);
        try
        {
            ProbeResult? last = null;
            for (var rounds = 1; ; rounds++)
            {
                if (Plan(monitored) is not { } plan) return null;
                var outcome = plan.Width == 1 && plan.Witnesses.Count == 0
                    ? new ConfirmOutcome(await _runner.RunAsync(monitored.Target, plan.Timeout, ct), WitnessesSilent: false)
                    : await _confirm.RunAsync(monitored.Target, plan.Timeout, plan.Width, plan.Witnesses, ct);
                if (Apply(monitored, outcome, plan.Isolated, mayConfirm: rounds <= MaxRounds(monitored.Target)) is not { } confirmNow) return null;
                last = outcome.Result;
                if (!confirmNow) return last;
            }
        }
        finally
        {
            monitored.InFlight.Release();
        }
    }

    private static int MaxRounds(ProbeTarget target) => Math.Max(1, target.Settings.FailuresToDown) + 1;

    /// <summary>The next round for a target: one in doubt is confirmed by several probes at once (one while its family is isolated: nothing replies anyway).</summary>
    private RoundPlan? Plan(MonitoredTarget monitored)
    {
        lock (_gate)
        {
            var target = monitored.Target;
            if (!_targets.TryGetValue(target, out var current) || current != monitored) return null;
            var status = _statuses[target];
            var timeout = status.ConnectTimeoutFor(target.Settings);
            if (_isolation.IsIsolated(target)) return new RoundPlan(timeout, 1, [], Isolated: true);
            if (!status.InDoubt) return new RoundPlan(timeout, 1, []);
            var witnesses = status.LastProbe is { NoReply: true } ? _isolation.Witnesses(target, _statuses) : [];
            return new RoundPlan(timeout, Math.Max(1, target.Settings.ConfirmProbes), witnesses);
        }
    }

    /// <summary>
    /// Applies a round's result; null if the target was removed while it was probed, else whether
    /// to confirm at once (the target is in doubt, not held, and <paramref name="mayConfirm"/>). A failure
    /// with no reply is held while the family is isolated, and also when the round began in isolation
    /// that ended while it ran: it timed out in the outage, and taking the edge Down for it would be the
    /// very flap on the network's return that holding exists to prevent.
    /// </summary>
    private bool? Apply(MonitoredTarget monitored, ConfirmOutcome outcome, bool plannedIsolated, bool mayConfirm)
    {
        HealthStep step;
        IsolationChange? isolation;
        bool confirmNow;
        var result = outcome.Result;
        lock (_gate)
        {
            var target = monitored.Target;
            if (!_targets.TryGetValue(target, out var current) || current != monitored) return null;
            isolation = _isolation.Observe(target, result, outcome.WitnessesSilent, _statuses);
            var hold = result is { Success: false, NoReply: true } && (plannedIsolated || _isolation.IsIsolated(target));
            step = HealthTracker.Apply(target, _statuses[target], result, hold);
            _statuses = _statuses.SetItem(target, step.Status);
            if (result.Success) monitored.Answered();
            confirmNow = mayConfirm && step.Status.InDoubt && !hold;
            // Schedule before publishing: whoever sees this result can count on the next probe being due already.
            // A round confirmed at once needs no timer: the caller runs it, and arms one when it is done.
            monitored.Timer.Change(confirmNow ? Timeout.InfiniteTimeSpan : NextDelay(step.Status, target.Settings), Timeout.InfiniteTimeSpan);
            Publish();
        }
        if (isolation is not null) _isolation.Log(isolation);
        _events.NotifyProbed(monitored.Target, result);
        if (step.Transition is not null || isolation is not null) Notify(step.Transition);
        return confirmNow;
    }

    /// <summary>
    /// A Suspect target, or a Down one that has begun to answer again, is re-probed soon: the state
    /// is in question and should be settled in seconds. Others wait an interval, jittered down by up
    /// to 10 % so targets added together drift apart yet none waits longer than configured.
    /// </summary>
    internal static TimeSpan NextDelay(TargetStatus status, ProbeSettings settings)
    {
        var settling = status.InDoubt || (status.State == HealthState.Down && status.ConsecutiveSuccesses > 0);
        var delay = settling ? settings.ReprobeInterval : settings.Interval * (0.9 + 0.1 * Random.Shared.NextDouble());
        return delay < MinimumDelay ? MinimumDelay : delay;
    }

    /// <summary>Under <see cref="_gate"/>.</summary>
    private void Publish() => _feed.Publish(new HealthReport(_statuses) { Isolated = _isolation.Since });

    private void Notify(HealthTransition? transition) => _events.Notify(transition, () => Current);

    /// <summary>Under <see cref="_gate"/>: remembers a probe task until it ends, so disposal can wait for it.</summary>
    private TTask Track<TTask>(TTask task) where TTask : Task
    {
        _running.Add(task);
        task.ContinueWith(done => { lock (_gate) _running.Remove(done); }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }
}
