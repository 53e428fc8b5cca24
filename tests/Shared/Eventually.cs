using System.Diagnostics;

namespace GeoDns.Testing;

/// <summary>
/// Waits, in real time, for something that real sockets, watchers and probes finish asynchronously:
/// polls until the condition holds, or fails naming what it waited for. The bound is generous so a
/// loaded machine does not fail the test; a passing test returns as soon as the condition holds.
/// With a fake clock, advance the clock instead of waiting.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>Returns how long it took.</summary>
    public static async Task<TimeSpan> True(Func<bool> condition, string what, TimeSpan? bound = null, int pollMs = 20)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > (bound ?? Bound)) Assert.Fail($"timed out after {(bound ?? Bound).TotalSeconds} s waiting until {what}");
            await Task.Delay(pollMs);
        }
        return clock.Elapsed;
    }

    /// <summary>The same, for a condition that is read over the network (an admin endpoint's reply).</summary>
    public static async Task<TimeSpan> True(Func<Task<bool>> condition, string what, TimeSpan? bound = null, int pollMs = 20)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > (bound ?? Bound)) Assert.Fail($"timed out after {(bound ?? Bound).TotalSeconds} s waiting until {what}");
            await Task.Delay(pollMs);
        }
        return clock.Elapsed;
    }

    /// <summary>Polls <paramref name="read"/> until it gives something non-empty, and returns that.</summary>
    public static async Task<IReadOnlyList<T>> Any<T>(Func<IReadOnlyList<T>> read, string what, TimeSpan? bound = null)
    {
        IReadOnlyList<T> value = [];
        await True(() => (value = read()).Count > 0, what, bound);
        return value;
    }
}
