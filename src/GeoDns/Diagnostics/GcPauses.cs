using System.Diagnostics.Tracing;

namespace GeoDns.Diagnostics;

/// <summary>
/// The collector's pauses one by one, from the runtime's own events: a histogram and the longest, for
/// /metrics. The runtime's counters give only the total, and a total cannot tell one pause of 300 ms
/// (every query waits) from a hundred of 3 ms. One per process, as the collector is.
/// </summary>
public sealed class GcPauses : EventListener
{
    public static readonly double[] BucketBounds = [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5];

    /// <summary>Started with the first use: the server touches it at start.</summary>
    public static GcPauses Shared { get; } = new();

    // Initialized before EventListener's constructor runs, which may already call OnEventSourceCreated.
    private readonly long[] _counts = new long[BucketBounds.Length + 1];
    private readonly Lock _lock = new();
    private DateTime _suspended;
    private double _sum, _longest;

    private GcPauses() { }

    /// <summary>The number of pauses in each bucket (not cumulative); the last one is over every bound.</summary>
    public long[] Counts()
    {
        lock (_lock) return [.. _counts];
    }

    public double SumSeconds
    {
        get { lock (_lock) return _sum; }
    }

    public double LongestSeconds
    {
        get { lock (_lock) return _longest; }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)0x1); // the GC keyword
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        // A pause runs from the start of suspending the threads to the end of restarting them, as GC.GetTotalPauseDuration counts it.
        // The events arrive later than they happen, so their own time stamps are used.
        if (eventData.EventName == "GCSuspendEEBegin_V1") _suspended = eventData.TimeStamp;
        else if (eventData.EventName == "GCRestartEEEnd_V1" && _suspended != default)
        {
            var seconds = (eventData.TimeStamp - _suspended).TotalSeconds;
            _suspended = default;
            var bucket = 0;
            while (bucket < BucketBounds.Length && seconds > BucketBounds[bucket]) bucket++;
            lock (_lock)
            {
                _counts[bucket]++;
                _sum += seconds;
                _longest = Math.Max(_longest, seconds);
            }
        }
    }
}
