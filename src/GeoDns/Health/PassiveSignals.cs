using System.Collections.Immutable;
using System.Net;

namespace GeoDns.Health;

/// <summary>
/// The monitor's passive signals (<see cref="PassiveSignal"/>): set, renewed, cleared and expired on its status
/// map, with the one timer that wakes at the earliest end. A signal counts as Down whatever the probes say; the
/// probing goes on underneath, so when it ends the probed state applies at once. Not thread-safe: every call is
/// made under the monitor's lock, and <paramref name="expired"/> (the timer) takes that lock itself.
/// </summary>
internal sealed class PassiveSignals(TimeProvider time, Action expired) : IDisposable
{
    private ITimer? _expiry;

    /// <summary>Sets (null: clears) the signal of every target at <paramref name="address"/>; <paramref name="touched"/> counts them.</summary>
    public ImmutableDictionary<ProbeTarget, TargetStatus> Set(ImmutableDictionary<ProbeTarget, TargetStatus> statuses, IPAddress address, string? reason, TimeSpan holdFor,
        List<HealthTransition> transitions, out int touched)
    {
        var now = time.GetUtcNow();
        var signal = reason is null ? null : new PassiveSignal(reason, now + holdFor);
        var targets = statuses.Keys.Where(t => t.Address.Equals(address)).ToList();
        foreach (var target in targets) statuses = Apply(statuses, target, signal, now, transitions);
        touched = targets.Count;
        Arm(statuses);
        return statuses;
    }

    /// <summary>Ends every signal whose time is up.</summary>
    public ImmutableDictionary<ProbeTarget, TargetStatus> Expire(ImmutableDictionary<ProbeTarget, TargetStatus> statuses, List<HealthTransition> transitions)
    {
        var now = time.GetUtcNow();
        foreach (var target in statuses.Where(s => s.Value.Passive is { } p && p.Until <= now).Select(s => s.Key).ToList())
            statuses = Apply(statuses, target, null, now, transitions);
        Arm(statuses);
        return statuses;
    }

    public void Dispose() => _expiry?.Dispose();

    /// <summary>Adds the transition when the state answers go by (<see cref="TargetStatus.Effective"/>) changes.</summary>
    private static ImmutableDictionary<ProbeTarget, TargetStatus> Apply(ImmutableDictionary<ProbeTarget, TargetStatus> statuses, ProbeTarget target, PassiveSignal? signal,
        DateTimeOffset now, List<HealthTransition> transitions)
    {
        var before = statuses[target];
        var after = before with { Passive = signal };
        if (before.Effective != after.Effective)
        {
            var reason = signal is not null ? $"passive: {signal.Reason}" : before.Passive!.Until <= now ? "passive signal expired" : "passive signal cleared";
            transitions.Add(new HealthTransition(target.ToString(), before.Effective, after.Effective, reason, null, now));
        }
        return statuses.SetItem(target, after);
    }

    /// <summary>Wakes at the earliest signal's end (at once if it is past), or never when none holds.</summary>
    private void Arm(ImmutableDictionary<ProbeTarget, TargetStatus> statuses)
    {
        var next = statuses.Values.Select(s => s.Passive?.Until).Where(u => u is not null).Min();
        _expiry ??= time.CreateTimer(_ => expired(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var due = next is { } until ? until - time.GetUtcNow() : Timeout.InfiniteTimeSpan;
        _expiry.Change(due == Timeout.InfiniteTimeSpan || due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
