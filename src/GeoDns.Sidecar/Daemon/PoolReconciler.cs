using GeoDns.Sidecar.State;
using Microsoft.Extensions.Logging;

namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// Edges added through the admin API live in each nameserver's own database: a rebuilt nameserver
/// starts without them. <c>run</c> looks for serving edges a nameserver does not list, reports the
/// drift and adds them back there (adding is idempotent: 409 counts as done).
/// </summary>
public sealed class PoolReconciler(SidecarSession session, ILogger log)
{
    public async Task<int> ReconcileAsync(CancellationToken cancel)
    {
        var serving = session.Inventory.All().Where(e => e.Role == EdgeRole.Serving && e.Host.Exists).ToList();
        var added = 0;
        foreach (var (nameserver, edges) in await session.Nameservers.ListsAsync(cancel))
        {
            if (!edges.Ok) continue; // unreachable: the outage watch and status say so
            foreach (var edge in serving.Where(s => !edges.Value!.Any(e => e.Name.Equals(s.Name, StringComparison.OrdinalIgnoreCase))))
            {
                log.LogWarning("Drift: {Nameserver} does not list {Edge}; adding it there", nameserver, edge.Name);
                var outcome = await nameserver.AddEdgeAsync(session.Nameservers.Pool, edge.Host, cancel);
                if (outcome.Ok) added++;
                else log.LogWarning("Drift: could not add {Edge} on {Nameserver}: {Error}", edge.Name, nameserver, outcome.Error);
            }
        }
        return added;
    }
}
