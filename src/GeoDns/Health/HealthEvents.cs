using Microsoft.Extensions.Logging;

namespace GeoDns.Health;

/// <summary>
/// The monitor's events and transition log. One notification at a time, always with the latest
/// report, so a subscriber never sees reports out of order; a throwing subscriber is logged and
/// neither stops the probing nor keeps the others from hearing.
/// </summary>
internal sealed class HealthEvents(ILogger log)
{
    private readonly Lock _gate = new();

    public event Action<HealthReport>? Changed;
    public event Action<HealthTransition>? Transitioned;
    public event Action<(ProbeTarget Target, ProbeResult Result)>? Probed;

    /// <summary>Every probe result; not serialized with the others: it is for counters, which need no order.</summary>
    public void NotifyProbed(ProbeTarget target, ProbeResult result) => Raise(Probed, (target, result));

    /// <summary>Called outside the monitor's lock, so handlers may call back into the monitor.</summary>
    public void Notify(HealthTransition? transition, Func<HealthReport> current)
    {
        lock (_gate)
        {
            if (transition is not null)
            {
                log.Log(transition.To == HealthState.Down ? LogLevel.Warning : LogLevel.Information,
                    "Health {Target}: {From} -> {To} ({Reason}), latency {LatencyMs} ms", transition.Target, transition.From, transition.To,
                    transition.Reason, transition.Latency is { } latency ? Math.Round(latency.TotalMilliseconds, 1) : null);
                Raise(Transitioned, transition);
            }
            Raise(Changed, current());
        }
    }

    private void Raise<T>(Action<T>? handlers, T value)
    {
        if (handlers is null) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<T>>())
        {
            try { handler(value); }
            catch (Exception e) { log.LogError(e, "A health event handler threw"); }
        }
    }
}
