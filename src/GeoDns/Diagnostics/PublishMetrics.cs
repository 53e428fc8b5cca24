using System.Runtime.InteropServices;

namespace GeoDns.Diagnostics;

/// <summary>
/// Publishes by lane (<c>static</c>: zones and pool set, a whole table; <c>routes</c>: health, drains, geo, a
/// pool's slot) and the CPU time the publishing thread spent on them. Thread CPU, not wall time, so the
/// figure stays true on a busy machine: it is what a health change or a reload costs the publisher itself.
/// </summary>
public sealed partial class PublishMetrics
{
    public static readonly string[] Lanes = ["static", "routes"];

    private readonly long[] _counts = new long[Lanes.Length];
    private readonly long[] _cpuNanoseconds = new long[Lanes.Length];

    /// <summary>Runs <paramref name="publish"/> on this thread and counts it, with the CPU it took, under <paramref name="lane"/>.</summary>
    public void Measure(string lane, Action publish)
    {
        var index = Array.IndexOf(Lanes, lane);
        var started = ThreadCpuNanoseconds();
        try { publish(); }
        finally
        {
            Interlocked.Add(ref _cpuNanoseconds[index], ThreadCpuNanoseconds() - started);
            Interlocked.Increment(ref _counts[index]);
        }
    }

    public long Publishes(string lane) => Interlocked.Read(ref _counts[Array.IndexOf(Lanes, lane)]);

    public double CpuSeconds(string lane) => Interlocked.Read(ref _cpuNanoseconds[Array.IndexOf(Lanes, lane)]) / 1e9;

    /// <summary>CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID); 0 where the clock cannot be read.</summary>
    private static long ThreadCpuNanoseconds()
    {
        const int ClockThreadCpuTime = 3;
        return ClockGetTime(ClockThreadCpuTime, out var now) == 0 ? now.Seconds * 1_000_000_000 + now.Nanoseconds : 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}
