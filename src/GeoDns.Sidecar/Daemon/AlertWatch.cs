using GeoDns.Contracts;
using GeoDns.Alerts;
using GeoDns.Sidecar.Rotation;

namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// Part of <c>run</c>: turns each <see cref="FleetSnapshot"/> into alerts. Every condition is an incident with a key
/// (<c>edge-down:edge-2</c>): raised when it starts to hold, resolved with a recovery message once it clears. A
/// condition that holds but not yet for long enough (a nameserver silent for one poll) is pending: neither raised nor
/// resolved, so a restarted daemon, which has to watch that long again, does not resolve and raise it once more.
/// Rotations are messages of their own: started and finished once each, a failure an incident until the edge's next
/// rotation ends it.
/// </summary>
public sealed class AlertWatch(SidecarOptions options, AlertDispatcher alerts)
{
    private Dictionary<int, RotationStatus>? _rotations;

    private enum Verdict
    {
        Clear,
        Pending,
        Holds,
    }

    private sealed record Condition(string Key, Verdict Verdict, string Title = "", string Text = "", AlertSeverity Severity = AlertSeverity.Warning);

    public void Judge(FleetSnapshot fleet)
    {
        var conditions = Conditions(fleet).ToList();
        foreach (var c in conditions.Where(c => c.Verdict == Verdict.Holds)) alerts.Raise(c.Key, c.Title, c.Text, c.Severity);
        var kept = conditions.Where(c => c.Verdict != Verdict.Clear).Select(c => c.Key).ToHashSet();
        foreach (var key in alerts.Firing.Where(k => !kept.Contains(k)))
        {
            var (title, text) = Recovery(key, fleet);
            alerts.Resolve(key, title, text);
        }
        AnnounceRotations(fleet);
    }

    private IEnumerable<Condition> Conditions(FleetSnapshot fleet)
    {
        var settings = options.Alerts;
        var now = fleet.At;
        var serving = fleet.Edges.Where(e => e.Role == nameof(State.EdgeRole.Serving)).ToList();
        foreach (var edge in fleet.Edges)
        {
            // No nameserver answered: what the edge is now is unknown, which is neither its recovery nor a new incident.
            if (!edge.Seen)
            {
                foreach (var key in alerts.Firing.Where(k => k.EndsWith($":{edge.Name}", StringComparison.Ordinal))) yield return new Condition(key, Verdict.Pending);
                continue;
            }
            yield return new Condition($"edge-down:{edge.Name}", edge.Down ? Verdict.Holds : Verdict.Clear,
                $"{edge.Name} is Down on every nameserver", $"{Views(edge)}; it is out of the answers{(edge.Role == nameof(State.EdgeRole.Serving) && options.Rotation.DownFor > TimeSpan.Zero ? $", and is rotated after {Words(options.Rotation.DownFor)} Down" : "")}");
            // One nameserver not answering: the others agreeing with each other says nothing of it.
            var disagreement = edge.DisagreeingSince is { } since ? now - since >= settings.DisagreeAfter ? Verdict.Holds : Verdict.Pending
                : edge.Views.Any(v => v.State == EdgeOpinion.Unreachable) ? Verdict.Pending : Verdict.Clear;
            yield return new Condition($"disagree:{edge.Name}", disagreement,
                $"the nameservers disagree about {edge.Name}", $"{Views(edge)}, for {Words(now - (edge.DisagreeingSince ?? now))}: resolvers get different answers from each");
            // An edge on its way out (drained, or the old edge of a running rotation) is destroyed soon: its tunnel and
            // certificate no longer matter, and its end resolves what was firing.
            var leaving = edge.Role is not (nameof(State.EdgeRole.Serving) or nameof(State.EdgeRole.Joining))
                || fleet.Rotations.Any(r => r.Status == RotationStatus.Running && r.OldEdge.Equals(edge.Name, StringComparison.OrdinalIgnoreCase));
            yield return new Condition($"tunnel-down:{edge.Name}", leaving ? Verdict.Pending : edge.Tunnel is { Stale: true } ? Verdict.Holds : Verdict.Clear,
                $"the tunnel home from {edge.Name} is down", $"{edge.Tunnel?.Reason}; the nameservers are told to leave it out of the answers");
            var days = edge.Views.Select(v => v.CertificateDaysLeft).Min();
            yield return new Condition($"certificate:{edge.Name}", leaving ? Verdict.Pending : days < settings.CertificateDays ? Verdict.Holds : Verdict.Clear,
                $"{edge.Name} serves a certificate {(days < 0 ? "that has expired" : $"with {days} days left")}", $"below alerts.certificateDays ({settings.CertificateDays}); `geodns-sidecar certificates` installs the home's on every edge",
                days < 0 ? AlertSeverity.Critical : AlertSeverity.Warning);
        }
        // Held while the verdict holds; resolved once it clears or the edge has left (rotated out).
        foreach (var attack in fleet.Attacks)
            yield return new Condition($"attack:{attack.Edge}", Verdict.Holds, $"{attack.Edge} is under attack: {attack.Summary}",
                $"{attack.Text}; {attack.Action}", AlertSeverity.Critical);
        if (serving.Count > 0)
            yield return new Condition("pool-down", serving.All(e => e.Down) ? Verdict.Holds : serving.Any(e => e.Seen) ? Verdict.Clear : Verdict.Pending,
                $"no edge of {options.Pool.TrimEnd('.')} is Up", "every serving edge is Down on every nameserver: the nameservers answer with all of them, and visitors get errors", AlertSeverity.Critical);
        var stray = fleet.Edges.Where(e => e.Stray).Select(e => e.Name).ToList();
        yield return new Condition("state-lost", stray.Count > 0 ? Verdict.Holds : Verdict.Clear,
            $"the nameservers serve edges the home does not know: {string.Join(", ", stray)}",
            $"was the sidecar's state file ({Path.Combine(options.Data, State.StateFile.FileName)}) lost, or restored from an older copy? It held those edges' keys: the operations guide says how to recover",
            AlertSeverity.Critical);

        foreach (var ns in fleet.Nameservers)
        {
            yield return new Condition($"unreachable:{ns.Name}", ns.UnreachableSince is not { } since ? Verdict.Clear : now - since >= settings.UnreachableAfter ? Verdict.Holds : Verdict.Pending,
                $"{ns.Name} does not answer the home", $"{ns.Error}, for {Words(now - (ns.UnreachableSince ?? now))}; it may still answer DNS, but the home cannot see or change it", AlertSeverity.Critical);
            // Unreachable: its warnings are unknown, neither raised nor cleared.
            if (!ns.Reachable)
            {
                foreach (var key in alerts.Firing.Where(k => k.StartsWith($"ns:{ns.Name}:", StringComparison.Ordinal))) yield return new Condition(key, Verdict.Pending);
                continue;
            }
            if (ns.Status != "ready")
                yield return new Condition($"ns:{ns.Name}:{ns.Status}", Verdict.Holds, $"{ns.Name} is {ns.Status}", ns.Problem ?? "", AlertSeverity.Critical);
            // A pool's emergency answer is one incident of the fleet, below, not one per nameserver that has it on.
            foreach (var warning in ns.Warnings.Where(w => EmergencyView.PoolOfWarning(w) is null))
                yield return new Condition($"ns:{ns.Name}:{Topic(warning)}", Verdict.Holds, $"{ns.Name}: {warning}");
        }
        foreach (var condition in Emergencies(fleet)) yield return condition;

        var failed = fleet.Rotations.Where(r => r.Status == RotationStatus.Failed).GroupBy(r => r.OldEdge).Select(g => g.First());
        foreach (var rotation in failed)
            yield return new Condition($"rotation-failed:{rotation.OldEdge}", Verdict.Holds, $"rotation #{rotation.Id} of {rotation.OldEdge} failed at {rotation.Step}",
                $"{rotation.Error}; the old edge still serves; `geodns-sidecar rotate {rotation.OldEdge}` retries it", AlertSeverity.Critical);
        if (fleet.FailedNameserverRotation is { } moved)
            yield return new Condition($"rotation-failed:{moved.Nameserver}", Verdict.Holds, $"the rotation of nameserver {moved.Nameserver} failed at {moved.Step}",
                $"{moved.Error}; `geodns-sidecar rotate {moved.Nameserver}` (with the daemon stopped) retries it", AlertSeverity.Critical);
        if (fleet.DailyBudget > 0)
            yield return new Condition("budget-spent", fleet.BudgetLeft == 0 ? Verdict.Holds : Verdict.Clear,
                $"the daily rotation budget is spent ({fleet.DailyBudget} rotations begun in 24 h)", "an edge that dies now is not replaced until the oldest rotation is a day old (rotation.dailyBudget)", AlertSeverity.Critical);
        if (fleet.Certificate is { } home)
        {
            var days = home.DaysLeft(now);
            var holds = home.Error is not null || home.Expired(now) || days < settings.CertificateDays;
            yield return new Condition("certificate:home", holds ? Verdict.Holds : Verdict.Clear,
                home.Error is not null ? "the home's certificate cannot be read" : home.Expired(now) ? $"the home's certificate ({home.Subject}) has expired" : $"the home's certificate ({home.Subject}) has {days} days left",
                home.Error ?? $"{home.Path}: is certbot renewing it (systemctl list-timers)? Its deploy hook installs it on the edges",
                home.Error is not null || home.Expired(now) ? AlertSeverity.Critical : AlertSeverity.Warning);
        }
    }

    /// <summary>
    /// One incident per pool whose emergency answer is on at some nameserver, as their /healthz warnings say; held while
    /// one says so, resolved once every nameserver that answers says nothing of it, and left as it is while one that may
    /// still have it on does not answer.
    /// </summary>
    private IEnumerable<Condition> Emergencies(FleetSnapshot fleet)
    {
        var on = fleet.Nameservers.Where(n => n.Reachable).SelectMany(n => n.Warnings.Select(w => (Nameserver: n.Name, Warning: w, Pool: EmergencyView.PoolOfWarning(w))))
            .Where(x => x.Pool is not null).GroupBy(x => x.Pool!, StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var pool in on)
        {
            var first = pool.First().Warning;
            var what = first[(first.IndexOf(EmergencyView.WarningMark, StringComparison.Ordinal) + 2)..];
            var off = fleet.Nameservers.Where(n => n.Reachable && !pool.Any(x => x.Nameserver == n.Name)).Select(n => n.Name).ToList();
            yield return new Condition($"emergency:{pool.Key}", Verdict.Holds, $"emergency answer on for {pool.Key}",
                $"on {string.Join(", ", pool.Select(x => x.Nameserver))}{(off.Count > 0 ? $" (off on {string.Join(", ", off)}: they answer differently)" : "")}: {what}; " +
                $"`geodns-sidecar emergency off{(pool.Key.Equals(options.Pool.TrimEnd('.'), StringComparison.OrdinalIgnoreCase) ? "" : $" --pool {pool.Key}")}` ends it");
        }
        var unseen = fleet.Nameservers.Any(n => !n.Reachable);
        foreach (var key in alerts.Firing.Where(k => k.StartsWith("emergency:", StringComparison.Ordinal) && !on.Any(p => $"emergency:{p.Key}".Equals(k, StringComparison.OrdinalIgnoreCase))))
            yield return new Condition(key, unseen ? Verdict.Pending : Verdict.Clear);
    }

    /// <summary>The recovery message of incident <paramref name="key"/>: what is so now.</summary>
    private static (string Title, string Text) Recovery(string key, FleetSnapshot fleet)
    {
        var (kind, subject) = key.IndexOf(':') is var i and > 0 ? (key[..i], key[(i + 1)..]) : (key, "");
        var edge = fleet.Edges.FirstOrDefault(e => e.Name.Equals(subject, StringComparison.OrdinalIgnoreCase));
        if (kind == "attack" && edge?.Role != nameof(State.EdgeRole.Serving))
            return ($"{subject} is out of the answers", "it was rotated out, or is being drained and destroyed");
        if (edge is null && kind is "edge-down" or "disagree" or "tunnel-down" or "rotation-failed" || kind == "certificate" && subject != "home" && edge is null)
            return ($"{subject} is gone", "it no longer serves (rotated out or removed)");
        return kind switch
        {
            "edge-down" when edge!.Views.Any(v => v.Listed) && edge.Views.Where(v => v.Listed).All(v => v.Drained) => ($"{subject} is drained: out of the answers for good", Views(edge)),
            "edge-down" => ($"{subject} is Up again", Views(edge)),
            "disagree" => ($"the nameservers agree about {subject} again", Views(edge!)),
            "tunnel-down" => ($"the tunnel home from {subject} is up again", edge!.Tunnel?.Reason ?? ""),
            "certificate" => ($"the certificate of {subject} is renewed", ""),
            "pool-down" => ("an edge is Up again", ""),
            "state-lost" => ("the nameservers and the home know the same edges again", ""),
            "unreachable" => ($"{subject} answers the home again", ""),
            "ns" => ($"{subject.Replace(":", ": ")}: cleared", ""),
            "rotation-failed" => ($"{subject} is no longer in a failed rotation", "retried, or rotated since"),
            "attack" => ($"{subject} is no longer under attack", "its signals are back under their thresholds, or the world reaches it again"),
            "budget-spent" => ("the daily rotation budget has room again", $"{fleet.BudgetLeft} of {fleet.DailyBudget} left"),
            "emergency" => ($"emergency answer off for {subject}", "every nameserver answers its edges again"),
            _ => ($"{key}: cleared", ""),
        };
    }

    private void AnnounceRotations(FleetSnapshot fleet)
    {
        var seen = _rotations;
        _rotations = fleet.Rotations.ToDictionary(r => r.Id, r => r.Status);
        if (seen is null) return; // the first look: what happened before this daemon is not news
        foreach (var rotation in fleet.Rotations.OrderBy(r => r.Id))
        {
            var before = seen.TryGetValue(rotation.Id, out var status) ? status : (RotationStatus?)null;
            if (before == rotation.Status) continue;
            var target = rotation.NewEdge?.Name ?? rotation.NewName;
            if (before is null && rotation.Status == RotationStatus.Running)
                alerts.Notify($"rotation:{rotation.Id}", $"rotation #{rotation.Id} started: {rotation.OldEdge} is replaced by {target}", $"trigger: {rotation.Trigger}");
            else if (rotation.Status == RotationStatus.Completed)
                alerts.Notify($"rotation:{rotation.Id}", $"rotation #{rotation.Id} finished: {target} serves in place of {rotation.OldEdge}", $"trigger: {rotation.Trigger}");
        }
    }

    /// <summary>The first words of a nameserver's warning (<c>zone example.org</c>, <c>probes</c>): what the incident is about.</summary>
    private static string Topic(string warning) => warning.IndexOf(": ", StringComparison.Ordinal) is var i and > 0 ? warning[..i] : warning;

    private static string Views(EdgeSight edge) =>
        string.Join("; ", edge.Views.Select(v => $"{v.Nameserver}: {(v.Drained ? "drained" : v.State)}{(v.Passive is null ? "" : $" ({v.Passive})")}"));

    private static string Words(TimeSpan span) =>
        span >= TimeSpan.FromHours(1) ? $"{span.TotalHours:0.#} h" : span >= TimeSpan.FromMinutes(1) ? $"{span.TotalMinutes:0.#} min" : $"{span.TotalSeconds:0} s";
}
