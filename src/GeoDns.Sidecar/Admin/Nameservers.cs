using GeoDns.Contracts;
using GeoDns.Sidecar.Rotation;
using Polly;

namespace GeoDns.Sidecar.Admin;

/// <summary>
/// Every nameserver of the pool. A change counts only once it is made on all of them: the two
/// nameservers answer the same resolvers, and one that still hands out a destroyed edge is one too many.
/// </summary>
public sealed class Nameservers
{
    private readonly ResiliencePipeline<Outcome> _retry;
    private readonly ResiliencePipeline<Outcome<EmergencyView>> _retryEmergency;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    public Nameservers(IReadOnlyList<NameserverClient> clients, string pool, RotationPolicy policy, TimeProvider time)
    {
        Clients = clients;
        Pool = pool;
        (_timeout, _time) = (policy.AdminTimeout, time);
        _retry = RetryPipeline.Build<Outcome>(policy, time, policy.AdminTimeout, o => o.Retryable);
        _retryEmergency = RetryPipeline.Build<Outcome<EmergencyView>>(policy, time, policy.AdminTimeout, o => o.Retryable);
    }

    public IReadOnlyList<NameserverClient> Clients { get; }
    public string Pool { get; }

    public Task<Outcome> AddAsync(EdgeHost edge, CancellationToken cancel) =>
        EverywhereAsync((ns, token) => ns.AddEdgeAsync(Pool, edge, token), cancel);

    public Task<Outcome> DrainAsync(string edge, string reason, CancellationToken cancel) =>
        EverywhereAsync((ns, token) => ns.DrainAsync(edge, reason, token), cancel);

    public Task<Outcome> UndrainAsync(string edge, CancellationToken cancel) =>
        EverywhereAsync((ns, token) => ns.UndrainAsync(edge, token), cancel);

    public Task<Outcome> RemoveAsync(string edge, CancellationToken cancel) =>
        EverywhereAsync((ns, token) => ns.RemoveEdgeAsync(Pool, edge, token), cancel);

    /// <summary>
    /// <paramref name="pool"/>'s emergency switch on or off on every nameserver at once, each with retries: each one's
    /// outcome, in the nameservers' order, so a caller can say which one did not follow (the others are switched all the same).
    /// </summary>
    public async Task<IReadOnlyList<(NameserverClient Nameserver, Outcome<EmergencyView> Outcome)>> SetEmergencyAsync(string pool, bool on, string? reason, CancellationToken cancel) =>
        await Task.WhenAll(Clients.Select(async ns => (ns, await _retryEmergency.RunAsync(token => ns.SetEmergencyAsync(pool, on, reason, token),
            failure => Outcome<EmergencyView>.Failed($"{ns}: {failure}"), cancel))));

    /// <summary>Every nameserver reachable and accepting the token, one attempt each: checked before anything is bought.</summary>
    public async Task<Outcome> PreflightAsync(CancellationToken cancel)
    {
        var outcomes = await Task.WhenAll(Clients.Select(async ns =>
        {
            using var limit = new CancellationTokenSource(_timeout, _time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancel, limit.Token);
            try
            {
                return await ns.CheckTokenAsync(either.Token);
            }
            catch (HttpRequestException e)
            {
                return Outcome.Failed($"{ns}: {e.Message}");
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                return Outcome.Failed($"{ns}: no answer within {_timeout.TotalSeconds} s");
            }
        }));
        var failed = outcomes.Where(o => !o.Ok).Select(o => o.Error).ToList();
        return failed.Count == 0 ? Outcome.Success : Outcome.Failed(string.Join("; ", failed));
    }

    /// <summary>What each nameserver says of <paramref name="edge"/> in our pool (a null value: it does not list it). One attempt each: callers poll.</summary>
    public async Task<IReadOnlyList<(NameserverClient Nameserver, Outcome<NameserverEdge?> Edge)>> StatesAsync(string edge, CancellationToken cancel)
    {
        var lists = await ListsAsync(cancel);
        return lists.Select(l => (l.Nameserver, l.Edges.Ok
            ? Outcome<NameserverEdge?>.Success(l.Edges.Value!.FirstOrDefault(e => e.Name.Equals(edge, StringComparison.OrdinalIgnoreCase)))
            : Outcome<NameserverEdge?>.Failed(l.Edges.Error!))).ToList();
    }

    /// <summary>
    /// The tunnel of <paramref name="edge"/> to every nameserver at once, one attempt each: the report is renewed
    /// every poll, so a retry would only delay the next one (and the others' renewals behind it).
    /// </summary>
    public async Task<IReadOnlyList<(NameserverClient Nameserver, Outcome Outcome)>> ReportTunnelAsync(string edge, Daemon.TunnelState state, TimeSpan hold, CancellationToken cancel) =>
        await Task.WhenAll(Clients.Select(async ns =>
        {
            using var limit = new CancellationTokenSource(_timeout, _time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancel, limit.Token);
            try
            {
                return (ns, await ns.ReportTunnelAsync(edge, state.Stale, state.Reason, hold, either.Token));
            }
            catch (HttpRequestException e)
            {
                return (ns, Outcome.Failed($"{ns}: {e.Message}"));
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                return (ns, Outcome.Failed($"{ns}: no answer within {_timeout.TotalSeconds} s"));
            }
        }));

    /// <summary>Each nameserver's edges in our pool (entries without a pool are taken as ours).</summary>
    public async Task<IReadOnlyList<(NameserverClient Nameserver, Outcome<IReadOnlyList<NameserverEdge>> Edges)>> ListsAsync(CancellationToken cancel)
    {
        var results = await Task.WhenAll(Clients.Select(async ns =>
        {
            using var limit = new CancellationTokenSource(_timeout, _time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancel, limit.Token);
            try
            {
                var list = await ns.EdgesAsync(either.Token);
                return (ns, list.Ok ? Outcome<IReadOnlyList<NameserverEdge>>.Success(list.Value!.Where(InPool).ToList()) : list);
            }
            catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or IOException)
            {
                return (ns, Outcome<IReadOnlyList<NameserverEdge>>.Failed($"{ns}: {e.Message}"));
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                return (ns, Outcome<IReadOnlyList<NameserverEdge>>.Failed($"{ns}: no answer within {_timeout.TotalSeconds} s"));
            }
        }));
        return results;
    }

    private bool InPool(NameserverEdge edge) => edge.Pool is null || edge.Pool.TrimEnd('.').Equals(Pool.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs the call on every nameserver at once, each with retries; the first failure (by nameserver order) is the result, else success with every note.</summary>
    private async Task<Outcome> EverywhereAsync(Func<NameserverClient, CancellationToken, Task<Outcome>> call, CancellationToken cancel)
    {
        var outcomes = await Task.WhenAll(Clients.Select(ns =>
            _retry.RunAsync(token => call(ns, token), reason => Outcome.Failed($"{ns}: {reason}"), cancel)));
        if (outcomes.FirstOrDefault(o => !o.Ok) is { Error: not null } failed) return failed;
        var notes = outcomes.Select(o => o.Note).OfType<string>().ToList();
        return notes.Count == 0 ? Outcome.Success : Outcome.Noted(string.Join("; ", notes));
    }
}
