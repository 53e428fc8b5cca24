using GeoDns.Sidecar.State;

namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// Decides when a serving edge has been Down long enough to replace: Down on a majority of the configured
/// nameservers and on every one that answered, continuously for <c>rotation.downFor</c>. A nameserver that
/// does not answer is no vote: with two, both must see the edge Down. One nameserver's view alone is not
/// enough: it may be its own network that is cut off, and buying a VPS on its word alone costs money and an edge.
/// </summary>
public sealed class OutageWatch(SidecarSession session)
{
    private readonly Dictionary<string, DateTimeOffset> _downSince = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Looks at the nameservers once; returns the edges whose outage has lasted long enough.</summary>
    public async Task<IReadOnlyList<string>> DueAsync(CancellationToken cancel)
    {
        var downFor = session.Options.Rotation.DownFor;
        var nameservers = session.Options.Nameservers.Count;
        if (downFor <= TimeSpan.Zero) return [];
        var answers = (await session.Nameservers.ListsAsync(cancel)).Where(l => l.Edges.Ok).Select(l => l.Edges.Value!).ToList();
        var now = session.Time.GetUtcNow();
        var due = new List<string>();
        foreach (var edge in session.Inventory.All().Where(e => e.Role == EdgeRole.Serving))
        {
            var views = answers.Select(list => list.FirstOrDefault(e => e.Name.Equals(edge.Name, StringComparison.OrdinalIgnoreCase))).ToList();
            var down = views.Count * 2 > nameservers && views.All(v => v is { IsDown: true, Drained: false });
            if (!down)
            {
                _downSince.Remove(edge.Name);
                continue;
            }
            var since = _downSince.TryGetValue(edge.Name, out var first) ? first : _downSince[edge.Name] = now;
            if (now - since >= downFor) due.Add(edge.Name);
        }
        return due;
    }

    /// <summary>Forgets an edge's outage (once its rotation has begun).</summary>
    public void Forget(string edge) => _downSince.Remove(edge);
}
