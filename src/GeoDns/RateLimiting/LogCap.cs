namespace GeoDns.RateLimiting;

/// <summary>
/// At most one log line a second for a kind of event that a flood can repeat per packet: the lines held
/// back are counted and the next line written says how many, so the log keeps the fact and not the flood.
/// Lock-free and allocation-free, so the query path may ask it.
/// </summary>
public sealed class LogCap(TimeProvider? time = null)
{
    private readonly TimeProvider? _time = time == TimeProvider.System ? null : time;
    private long _next = long.MinValue;
    private long _held;

    /// <summary>True when a line may be written now (<paramref name="nowMs"/>, any millisecond clock), with how many were held back since the last one.</summary>
    public bool TryTake(long nowMs, out long held)
    {
        var next = Volatile.Read(ref _next);
        if (nowMs < next || Interlocked.CompareExchange(ref _next, nowMs + 1000, next) != next)
        {
            Interlocked.Increment(ref _held);
            held = 0;
            return false;
        }
        held = Interlocked.Exchange(ref _held, 0);
        return true;
    }

    /// <summary>
    /// <see cref="TryTake(long, out long)"/> on the clock given (a test's fake one), else the kernel's coarse monotonic
    /// clock.
    /// </summary>
    public bool TryTake(out long held) =>
        TryTake(_time is null ? Environment.TickCount64 : (long)_time.GetElapsedTime(0).TotalMilliseconds, out held);
}
