namespace GeoDns.Health;

/// <summary>
/// The health state machine, pure: one probe result in, the new status (and transition) out.
/// A first failure only makes an Up target Suspect, so one lost SYN does not pull an edge out
/// of DNS; an Unknown target that fails goes straight to Down, so nobody is handed a dead edge
/// at start-up.
/// </summary>
public static class HealthTracker
{
    public static HealthStep Apply(ProbeTarget target, TargetStatus status, ProbeResult result)
    {
        var settings = target.Settings;
        // A threshold below 1 would mean "changes state without a probe"; read it as 1.
        var failuresToDown = Math.Max(1, settings.FailuresToDown);
        var successesToUp = Math.Max(1, settings.SuccessesToUp);

        int failures = result.Success ? 0 : status.ConsecutiveFailures + 1;
        int successes = result.Success ? status.ConsecutiveSuccesses + 1 : 0;
        var next = (status.State, result.Success) switch
        {
            (HealthState.Unknown, true) => HealthState.Up,
            (HealthState.Unknown, false) => HealthState.Down,
            (HealthState.Up or HealthState.Suspect, false) => failures >= failuresToDown ? HealthState.Down : HealthState.Suspect,
            (HealthState.Suspect, true) => HealthState.Up,
            (HealthState.Down, true) => successes >= successesToUp ? HealthState.Up : HealthState.Down,
            _ => status.State, // Up + success, Down + failure
        };

        if (next == status.State)
            return new HealthStep(status with { LastProbe = result, ConsecutiveFailures = failures, ConsecutiveSuccesses = successes }, null);

        var changed = new TargetStatus(next, result.At, result, failures, successes);
        var transition = new HealthTransition(target.ToString(), status.State, next, Reason(result, failures, successes), result.Latency, result.At);
        return new HealthStep(changed, transition);
    }

    private static string Reason(ProbeResult result, int failures, int successes)
    {
        if (result.Success) return successes > 1 ? $"{successes} consecutive successes" : "probe succeeded";
        var error = result.Error ?? "probe failed";
        return failures > 1 ? $"{failures} consecutive failures: {error}" : error;
    }
}
