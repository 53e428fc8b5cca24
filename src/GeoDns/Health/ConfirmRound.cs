namespace GeoDns.Health;

/// <summary>
/// Confirms a Suspect target's failure in one timeout rather than one timeout after another:
/// <see cref="ProbeSettings.ConfirmProbes"/> probes at once, the first success ends the round.
/// When every one fails with no reply, the witnesses (other targets that answered last time) say
/// whether anything answers this nameserver at all; they run alongside, so they cost no time.
/// </summary>
internal sealed class ConfirmRound(ProbeRunner runner, TimeProvider time)
{
    /// <summary>Throws only if <paramref name="ct"/> is cancelled; every probe started has ended when it returns.</summary>
    public async Task<ConfirmOutcome> RunAsync(ProbeTarget target, TimeSpan timeout, int width, IReadOnlyList<(ProbeTarget Target, TimeSpan Timeout)> witnesses, CancellationToken ct)
    {
        using var round = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var started = time.GetTimestamp();
        var probes = Enumerable.Range(0, Math.Max(1, width)).Select(_ => runner.RunAsync(target, timeout, round.Token)).ToList();
        var witnessed = witnesses.Select(w => runner.RunAsync(w.Target, w.Timeout, round.Token)).ToList();
        try
        {
            var (success, failures) = await FirstSuccess(probes);
            if (success is not null) return new ConfirmOutcome(success, WitnessesSilent: false);
            var error = failures.GroupBy(f => f.Error).OrderByDescending(g => g.Count()).First().Key ?? "probe failed";
            var noReply = failures.All(f => f.NoReply);
            var summed = new ProbeResult(false, time.GetElapsedTime(started), time.GetUtcNow(),
                failures.Count == 1 ? error : $"all {failures.Count} confirming probes failed: {error}",
                failures.Select(f => f.CertificateDaysLeft).FirstOrDefault(d => d is not null), noReply);
            // A refusal proves the path works; only silence everywhere can be our own network.
            var silent = noReply && witnessed.Count > 0 && !await AnyReply(witnessed);
            return new ConfirmOutcome(summed, silent);
        }
        finally
        {
            round.Cancel(); // the rest are not needed: stop them, and wait, so no socket outlives the round
            foreach (var task in probes.Concat(witnessed))
            {
                try { await task; }
                catch (OperationCanceledException) { }
            }
        }
    }

    private static async Task<(ProbeResult? Success, List<ProbeResult> Failures)> FirstSuccess(List<Task<ProbeResult>> probes)
    {
        var pending = new List<Task<ProbeResult>>(probes);
        var failures = new List<ProbeResult>();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            var result = await done;
            if (result.Success) return (result, failures);
            failures.Add(result);
        }
        return (null, failures);
    }

    private static async Task<bool> AnyReply(List<Task<ProbeResult>> witnesses)
    {
        var pending = new List<Task<ProbeResult>>(witnesses);
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            if (!(await done).NoReply) return true;
        }
        return false;
    }
}
