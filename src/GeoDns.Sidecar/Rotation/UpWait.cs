namespace GeoDns.Sidecar.Rotation;

/// <summary>
/// Waits until every nameserver reports the edges Up, as its own probes see them: with the HTTPS
/// probe of a health path passed home (docs/deployment.md), Up means the whole path users take works.
/// </summary>
public static class UpWait
{
    public static async Task<Outcome> AllUpAsync(SidecarSession session, IReadOnlyList<string> edges, CancellationToken cancel)
    {
        var policy = session.Options.Rotation;
        var start = session.Time.GetTimestamp();
        while (true)
        {
            var lists = await session.Nameservers.ListsAsync(cancel);
            var pending = (from list in lists
                           from edge in edges
                           let seen = list.Edges.Ok ? list.Edges.Value!.FirstOrDefault(e => e.Name.Equals(edge, StringComparison.OrdinalIgnoreCase)) : null
                           where seen is not { IsUp: true }
                           select $"{list.Nameserver}: {edge} {(list.Edges.Ok ? seen?.Describe() ?? "not listed" : list.Edges.Error)}").ToList();
            if (pending.Count == 0) return Outcome.Success;
            if (session.Time.GetElapsedTime(start) >= policy.UpTimeout)
                return Outcome.Failed($"not Up on every nameserver within {policy.UpTimeout}: {string.Join("; ", pending)}");
            await Task.Delay(policy.PollInterval, session.Time, cancel);
        }
    }
}
