namespace GeoDns.Health;

/// <summary>The scheduling state of one target inside <see cref="HealthMonitor"/>.</summary>
internal sealed class MonitoredTarget
{
    public MonitoredTarget(ProbeTarget target, TimeProvider time, Action<MonitoredTarget> due)
    {
        Target = target;
        _due = due;
        // Created idle: the first probe is started directly, each result then sets the next due time.
        Timer = time.CreateTimer(static state => ((MonitoredTarget)state!).Due(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private readonly Action<MonitoredTarget> _due;

    public ProbeTarget Target { get; }

    public ITimer Timer { get; }

    // Neither needs disposing: the source has no timer and no parent, the semaphore's wait handle is never asked for.
    public CancellationTokenSource Stopping { get; } = new();

    /// <summary>Held while a probe of this target runs: never two at once against the same edge.</summary>
    public SemaphoreSlim InFlight { get; } = new(1, 1);

    private TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next probe of this target that succeeds (a held connection is tried again then).</summary>
    public Task NextAnswer => Volatile.Read(ref _answered).Task;

    public void Answered() => Interlocked.Exchange(ref _answered, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public void Stop()
    {
        Stopping.Cancel();
        Timer.Dispose();
    }

    private void Due() => _due(this);
}
