namespace GeoDns.Health;

/// <summary>
/// The monitor's current report, swapped atomically so readers never lock, and a signal that
/// wakes whoever waits for the next one.
/// </summary>
internal sealed class ReportFeed
{
    private HealthReport _current = HealthReport.Empty;
    private TaskCompletionSource _next = NewSignal();

    public HealthReport Current => Volatile.Read(ref _current);

    /// <summary>The monitor calls this under its lock, so reports are published in the order they were built.</summary>
    public void Publish(HealthReport report)
    {
        Volatile.Write(ref _current, report);
        Interlocked.Exchange(ref _next, NewSignal()).TrySetResult();
    }

    /// <summary>Completes once <paramref name="done"/> holds for the current report, or when <paramref name="deadline"/> does (rethrowing its cancellation).</summary>
    public async Task WaitAsync(Func<HealthReport, bool> done, Task deadline)
    {
        while (true)
        {
            // Take the signal before looking, so a report published in between is not missed.
            var next = Volatile.Read(ref _next).Task;
            if (done(Current)) return;
            if (await Task.WhenAny(next, deadline) == deadline)
            {
                await deadline;
                return;
            }
        }
    }

    // Waiters continue on the thread pool, not inside the publisher's lock.
    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
