namespace GeoDns.Sidecar.Rotation;

/// <summary>
/// Waits until every nameserver reports the edges Up, as its own probes see them: with the HTTPS
/// probe of a health path passed home (docs/deployment.md), Up means the whole path users take works.
/// </summary>
public static class UpWait
{
    public static Task<Outcome> AllUpAsync(SidecarSession session, IReadOnlyList<string> edges, CancellationToken cancel) =>
        AllUpAsync(session, edges, null, cancel);

    /// <summary>As above; after each poll, <paramref name="waiting"/> hears each edge not yet Up with what every nameserver sees ("ns1 Up, ns2 Suspect").</summary>
    public static async Task<Outcome> AllUpAsync(SidecarSession session, IReadOnlyList<string> edges, Action<string, string>? waiting, CancellationToken cancel)
    {
        var policy = session.Options.Rotation;
        var start = session.Time.GetTimestamp();
        while (true)
        {
            var lists = await session.Nameservers.ListsAsync(cancel);
            var seen = (from edge in edges
                        from list in lists
                        let found = list.Edges.Ok ? list.Edges.Value!.FirstOrDefault(e => e.Name.Equals(edge, StringComparison.OrdinalIgnoreCase)) : null
                        select (Edge: edge, list.Nameserver, Up: found is { IsUp: true }, State: list.Edges.Ok ? found?.Describe() ?? "not listed" : list.Edges.Error)).ToList();
            var pending = seen.Where(s => !s.Up).Select(s => $"{s.Nameserver}: {s.Edge} {s.State}").ToList();
            if (pending.Count == 0) return Outcome.Success;
            if (session.Time.GetElapsedTime(start) >= policy.UpTimeout)
                return Outcome.Failed($"not Up on every nameserver within {policy.UpTimeout}: {string.Join("; ", pending)}");
            foreach (var edge in seen.Where(s => !s.Up).Select(s => s.Edge).Distinct())
                waiting?.Invoke(edge, string.Join(", ", seen.Where(s => s.Edge == edge).Select(s => $"{s.Nameserver} {s.State}")));
            await Task.Delay(policy.PollInterval, session.Time, cancel);
        }
    }
}
