using System.Collections.Concurrent;
using System.Net;
using GeoDns.Health;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Tests.Health;

/// <summary>
/// Edges whose answers the test scripts, on the fake clock: answering (20 ms), answering late
/// (<see cref="LateBy"/> on the clock), refusing at once, or silent (no reply until the probe's own timeout, as a black hole). Records each probe's address
/// and the timeout it was given.
/// </summary>
public sealed class ScriptedEdges(FakeTimeProvider time)
{
    public static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(20);
    public static readonly TimeSpan LateBy = TimeSpan.FromMilliseconds(100);
    private readonly ConcurrentDictionary<IPAddress, Func<EdgeAnswer>> _script = new();

    public ConcurrentQueue<(IPAddress Address, TimeSpan Timeout)> Probes { get; } = new();

    public int ProbesOf(IPAddress address) => Probes.Count(p => p.Address.Equals(address));

    public void Set(IPAddress address, EdgeAnswer answer) => _script[address] = () => answer;

    /// <summary>Each probe of <paramref name="address"/> takes the next answer; the last one repeats.</summary>
    public void Sequence(IPAddress address, params EdgeAnswer[] answers)
    {
        var next = 0;
        _script[address] = () => answers[Math.Min(Interlocked.Increment(ref next) - 1, answers.Length - 1)];
    }

    public async Task<ProbeResult> ProbeAsync(ProbeTarget target, TimeSpan timeout, CancellationToken ct)
    {
        var answer = _script.TryGetValue(target.Address, out var script) ? script() : EdgeAnswer.Answering;
        // The timer is registered before the probe is counted: a test that saw the count may move the clock.
        var silence = answer switch
        {
            EdgeAnswer.Silent => Task.Delay(timeout, time, ct),
            EdgeAnswer.Late => Task.Delay(LateBy, time, ct),
            _ => Task.CompletedTask,
        };
        Probes.Enqueue((target.Address, timeout));
        switch (answer)
        {
            case EdgeAnswer.Answering:
                return new ProbeResult(true, Latency, time.GetUtcNow());
            case EdgeAnswer.Late:
                await silence;
                return new ProbeResult(true, LateBy, time.GetUtcNow());
            case EdgeAnswer.Refusing:
                return new ProbeResult(false, TimeSpan.FromMilliseconds(1), time.GetUtcNow(), "connection refused");
            default:
                await silence;
                return new ProbeResult(false, timeout, time.GetUtcNow(), $"timeout after {(long)timeout.TotalMilliseconds} ms", NoReply: true);
        }
    }
}

public enum EdgeAnswer
{
    Answering,
    Late,
    Refusing,
    Silent,
}
