using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoDns.Health;

/// <summary>
/// Probes every target on its own schedule and keeps an immutable <see cref="HealthReport"/> that
/// readers take without locks. Each target is probed every Interval (±10 % jitter, so targets added
/// together drift apart), a Suspect one again after ReprobeInterval; at most one probe per target
/// and <c>maxConcurrentProbes</c> in all run at once. All waiting goes through the TimeProvider.
/// </summary>
public sealed class HealthMonitor : IAsyncDisposable
{
    /// <summary>Added to the probe timeout while waiting for the first round: thread-pool and socket latency.</summary>
    private static readonly TimeSpan FirstRoundMargin = TimeSpan.FromMilliseconds(500);
    /// <summary>A zero interval in the settings would otherwise probe in a busy loop.</summary>
    private static readonly TimeSpan MinimumDelay = TimeSpan.FromMilliseconds(50);

    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _concurrency;
    private readonly Func<ProbeSettings, IProbe> _probes;
    private readonly Lock _gate = new();
    private readonly Lock _notify = new();
    private readonly Dictionary<ProbeTarget, MonitoredTarget> _targets = [];
    private readonly HashSet<Task> _running = [];
    private ImmutableDictionary<ProbeTarget, TargetStatus> _statuses = ImmutableDictionary<ProbeTarget, TargetStatus>.Empty;
    private HealthReport _current = HealthReport.Empty;
    private TaskCompletionSource _published = NewSignal();
    private bool _disposed;

    public HealthMonitor(TimeProvider time, ILogger<HealthMonitor>? log = null, int maxConcurrentProbes = 64, Func<ProbeSettings, IProbe>? probes = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentProbes, 1);
        _time = time;
        _log = log ?? (ILogger)NullLogger.Instance;
        _concurrency = new SemaphoreSlim(maxConcurrentProbes, maxConcurrentProbes);
        _probes = probes ?? new ProbeCatalog(time).For;
    }

    public HealthReport Current => Volatile.Read(ref _current);

    /// <summary>Raised after a target changes state or the set of targets changes; not after every probe.</summary>
    public event Action<HealthReport>? Changed;

    /// <summary>Raised once per state change, in order for each target.</summary>
    public event Action<HealthTransition>? Transitioned;

    /// <summary>New targets start Unknown and are probed at once; removed ones stop; kept ones keep their state.</summary>
    public void SetTargets(IEnumerable<ProbeTarget> targets)
    {
        var wanted = targets.ToHashSet();
        var changed = false;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var gone in _targets.Keys.Where(t => !wanted.Contains(t)).ToList())
            {
                _targets.Remove(gone, out var monitored);
                monitored!.Stop();
                _statuses = _statuses.Remove(gone);
                changed = true;
            }
            var now = _time.GetUtcNow();
            foreach (var target in wanted.Where(t => !_targets.ContainsKey(t)))
            {
                var monitored = new MonitoredTarget(target, _time, StartProbe);
                _targets.Add(target, monitored);
                _statuses = _statuses.SetItem(target, TargetStatus.Initial(now));
                StartProbe(monitored);
                changed = true;
            }
            if (changed) Publish();
        }
        if (changed) Notify(null);
    }

    /// <summary>
    /// Completes when every current target has a first result, or after the longest probe timeout
    /// (plus a margin) if some edge is slow to answer: start-up must not hang on one edge.
    /// </summary>
    public async Task WaitForFirstRoundAsync(CancellationToken ct)
    {
        TimeSpan longest;
        lock (_gate) longest = _targets.Keys.Select(t => t.Settings.Timeout).DefaultIfEmpty().Max();
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var deadline = Task.Delay(longest + FirstRoundMargin, _time, giveUp.Token);
        try
        {
            while (true)
            {
                // Take the signal before looking, so a result published in between is not missed.
                var published = Volatile.Read(ref _published).Task;
                if (Current.Targets.Values.All(s => s.State != HealthState.Unknown)) return;
                if (await Task.WhenAny(published, deadline) == deadline)
                {
                    await deadline; // throws if the caller cancelled
                    return;
                }
            }
        }
        finally
        {
            giveUp.Cancel(); // drop the deadline's timer
        }
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

    private async Task<ProbeResult?> ProbeOnceAsync(MonitoredTarget monitored, CancellationToken ct)
    {
        await monitored.InFlight.WaitAsync(ct);
        try
        {
            ProbeResult result;
            await _concurrency.WaitAsync(ct);
            try
            {
                result = await RunProbeAsync(monitored.Target, ct);
            }
            finally
            {
                _concurrency.Release();
            }
            return Apply(monitored, result) ? result : null;
        }
        finally
        {
            monitored.InFlight.Release();
        }
    }

    private async Task<ProbeResult> RunProbeAsync(ProbeTarget target, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        try
        {
            return await _probes(target.Settings).ProbeAsync(target, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A probe that throws has a bug; the edge is not known to be healthy, so it counts as a failure.
            _log.LogError(e, "Probe of {Target} threw; counted as a failure", target);
            return new ProbeResult(false, _time.GetElapsedTime(started), _time.GetUtcNow(), $"probe error: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Applies a result; false if the target was removed while it was probed.</summary>
    private bool Apply(MonitoredTarget monitored, ProbeResult result)
    {
        HealthStep step;
        lock (_gate)
        {
            var target = monitored.Target;
            if (!_targets.TryGetValue(target, out var current) || current != monitored) return false;
            step = HealthTracker.Apply(target, _statuses[target], result);
            _statuses = _statuses.SetItem(target, step.Status);
            // Schedule before publishing: whoever sees this result can count on the next probe being due already.
            monitored.Timer.Change(NextDelay(step.Status.State, target.Settings), Timeout.InfiniteTimeSpan);
            Publish();
        }
        if (step.Transition is { } transition) Notify(transition);
        return true;
    }

    internal static TimeSpan NextDelay(HealthState state, ProbeSettings settings)
    {
        var delay = state == HealthState.Suspect ? settings.ReprobeInterval : settings.Interval * (0.9 + 0.2 * Random.Shared.NextDouble());
        return delay < MinimumDelay ? MinimumDelay : delay;
    }

    /// <summary>Under <see cref="_gate"/>: swaps the report in and wakes whoever waits for one.</summary>
    private void Publish()
    {
        Volatile.Write(ref _current, new HealthReport(_statuses));
        var published = _published;
        Volatile.Write(ref _published, NewSignal());
        published.TrySetResult();
    }

    /// <summary>Logs and raises events outside <see cref="_gate"/>, one notification at a time so handlers never see reports out of order.</summary>
    private void Notify(HealthTransition? transition)
    {
        lock (_notify)
        {
            if (transition is not null)
            {
                _log.Log(transition.To == HealthState.Down ? LogLevel.Warning : LogLevel.Information,
                    "Health {Target}: {From} -> {To} ({Reason}), latency {Latency} ms", transition.Target, transition.From, transition.To,
                    transition.Reason, transition.Latency?.TotalMilliseconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
                Raise(Transitioned, transition);
            }
            Raise(Changed, Current);
        }
    }

    private void Raise<T>(Action<T>? handlers, T value)
    {
        if (handlers is null) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<T>>())
        {
            // A failing subscriber must neither stop the probing nor keep the others from hearing.
            try { handler(value); }
            catch (Exception e) { _log.LogError(e, "A health event handler threw"); }
        }
    }

    /// <summary>Under <see cref="_gate"/>: remembers a probe task until it ends, so disposal can wait for it.</summary>
    private TTask Track<TTask>(TTask task) where TTask : Task
    {
        _running.Add(task);
        task.ContinueWith(done => { lock (_gate) _running.Remove(done); }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
