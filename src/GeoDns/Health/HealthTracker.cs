namespace GeoDns.Health;

/// <summary>
/// The health state machine, pure: one probe result in (a single probe, or a confirming round
/// summed up as one), the new status (and transition) out. A first failure only makes an Up target
/// Suspect, so one lost SYN does not pull an edge out of DNS. An Unknown target that fails stays
/// Unknown (not answered: nobody is handed a dead edge at start-up) while the monitor confirms the
/// failure as it confirms an Up one's, and is Down once FailuresToDown rounds have failed: one lost
/// SYN in the first round, the busiest moment of a start, does not leave a healthy edge out of the
/// first answers until its next interval. <c>hold</c> (the monitor's
/// call while no probe gets any reply, see <see cref="HealthMonitor"/>) keeps a failing target
/// Suspect, one failure short of Down, so the nameserver's own outage takes no edge out.
/// </summary>
public static class HealthTracker
{
    public static HealthStep Apply(ProbeTarget target, TargetStatus status, ProbeResult result, bool hold = false)
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
            (HealthState.Unknown, false) => failures >= failuresToDown ? HealthState.Down : HealthState.Unknown,
            (HealthState.Up or HealthState.Suspect, false) => failures >= failuresToDown ? HealthState.Down : HealthState.Suspect,
            (HealthState.Suspect, true) => HealthState.Up,
            (HealthState.Down, true) => successes >= successesToUp ? HealthState.Up : HealthState.Down,
            _ => status.State, // Up + success, Down + failure
        };
        if (hold && next == HealthState.Down && status.State is HealthState.Up or HealthState.Suspect)
        {
            next = HealthState.Suspect;
            failures = Math.Min(failures, Math.Max(1, failuresToDown - 1));
        }
        // Karn's rule (RFC 6298 §3): only an answer measures the answer time.
        var latency = result.Success ? status.Latency.Next(result.ConnectLatency ?? result.Latency) : status.Latency;

        if (next == status.State)
            return new HealthStep(status with { LastProbe = result, ConsecutiveFailures = failures, ConsecutiveSuccesses = successes, Latency = latency }, null);

        var changed = new TargetStatus(next, result.At, result, failures, successes) { Latency = latency, Passive = status.Passive };
        var reason = Reason(result, failures, successes) + (hold && next == HealthState.Suspect && status.State == HealthState.Up ? " (held: no probe gets a reply)" : "");
        var transition = new HealthTransition(target.ToString(), status.State, next, reason, result.Latency, result.At);
        return new HealthStep(changed, transition);
    }

    private static string Reason(ProbeResult result, int failures, int successes)
    {
        if (result.Success) return successes > 1 ? $"{successes} consecutive successes" : "probe succeeded";
        var error = result.Error ?? "probe failed";
        return failures > 1 ? $"{failures} consecutive failures: {error}" : error;
    }
}
