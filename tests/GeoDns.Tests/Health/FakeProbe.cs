using GeoDns.Health;

namespace GeoDns.Tests.Health;

/// <summary>A probe whose behaviour the test supplies; counts calls and the most probes seen running at once.</summary>
public sealed class FakeProbe(Func<ProbeTarget, TimeSpan, CancellationToken, Task<ProbeResult>> probe) : IProbe
{
    private int _calls;
    private int _running;
    private int _mostRunning;

    public int Calls => Volatile.Read(ref _calls);

    public int MostRunning => Volatile.Read(ref _mostRunning);

    public FakeProbe(Func<ProbeTarget, CancellationToken, Task<ProbeResult>> probe) : this((target, _, ct) => probe(target, ct)) { }

    public async Task<ProbeResult> ProbeAsync(ProbeTarget target, TimeSpan connectTimeout, CancellationToken ct)
    {
        Interlocked.Increment(ref _calls);
        var running = Interlocked.Increment(ref _running);
        for (var most = MostRunning; running > most; most = MostRunning)
            Interlocked.CompareExchange(ref _mostRunning, running, most);
        try
        {
            return await probe(target, connectTimeout, ct);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
