using GeoDns.Contracts;
using GeoDns.Sidecar.Admin;
using GeoDns.Sidecar.Check;
using GeoDns.Sidecar.Rotation;

namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// Part of <c>run</c>: each poll, asks every nameserver for its health, its edges, its zones and the pool's emergency
/// switch, and puts them beside what the home knows (roles, tunnels, signals, the certificate, the rotations and their
/// budget) in one <see cref="FleetSnapshot"/>.
/// It remembers since when each nameserver has not answered and each edge's views have disagreed: each nameserver
/// probes on its own, so for a while they may answer differently, and how long that lasts is what matters.
/// </summary>
public sealed class FleetWatch(SidecarSession session)
{
    public const int RecentRotations = 10;

    private readonly Dictionary<string, DateTimeOffset> _unreachableSince = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, DateTimeOffset> _disagreeingSince = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The last look; <see cref="FleetSnapshot.Empty"/> before the first.</summary>
    public FleetSnapshot Latest { get; private set; } = FleetSnapshot.Empty;

    /// <param name="judge">What the daemon adds to the look before it is the latest (the attack verdicts and their actions).</param>
    public async Task<FleetSnapshot> LookAsync(IReadOnlyDictionary<string, TunnelState> tunnels, IReadOnlyDictionary<string, Signals.EdgeSignals> signals,
        CancellationToken cancel, Func<FleetSnapshot, FleetSnapshot>? judge = null)
    {
        var now = session.Time.GetUtcNow();
        var clients = session.RotationProblem is null ? session.Nameservers.Clients : [];
        var names = NameserverNames(session.Options);
        var looks = await Task.WhenAll(clients.Select((client, i) => LookAtAsync(names.ElementAtOrDefault(i) ?? client.ToString(), client, cancel)));

        var nameservers = looks.Select(l => l.Sight with { UnreachableSince = Since(_unreachableSince, l.Sight.Name, !l.Sight.Reachable, now) }).ToList();
        var known = session.Inventory.All();
        var listed = looks.Where(l => l.Edges is not null).SelectMany(l => l.Edges!).Select(e => e.Name);
        // Retired edges are left out unless a nameserver still lists one.
        var edgeNames = known.Where(e => e.Role != State.EdgeRole.Retired).Select(e => e.Name).Concat(listed).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var edges = new List<EdgeSight>();
        foreach (var name in edgeNames)
        {
            var home = known.FirstOrDefault(e => e.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            var views = looks.Select(l => Opinion(l.Sight.Name, l.Edges, name)).ToList();
            var country = looks.SelectMany(l => l.Edges ?? []).FirstOrDefault(e => e.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Country ?? home?.Host.Country;
            edges.Add(new EdgeSight(home?.Name ?? name, home?.Role.ToString(), country, views, DisagreeingSince(name, views, now), tunnels.GetValueOrDefault(name))
            { Signals = signals.GetValueOrDefault(name) });
        }
        foreach (var gone in _disagreeingSince.Keys.Where(k => !edgeNames.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList()) _disagreeingSince.Remove(gone);

        var rotations = session.Journal.All();
        var policy = session.Options.Rotation;
        var begunToday = rotations.Count(r => r.Started > now - TimeSpan.FromDays(1)); // as RotationEngine counts
        var failedNameserver = new Fleet.NameserverRotationJournal(session.State, session.Time).Unfinished() is { Status: RotationStatus.Failed } failed ? failed : null;
        var look = new FleetSnapshot(now, nameservers, edges, HomeCertificate.Read(session.Options.Nginx.CertificateDir),
            Math.Max(0, policy.DailyBudget - begunToday), policy.DailyBudget,
            [.. rotations.Take(RecentRotations).UnionBy(rotations.Where(r => r.Status == RotationStatus.Failed), r => r.Id)])
        { FailedNameserverRotation = failedNameserver };
        return Latest = judge is null ? look : judge(look);
    }

    /// <summary>With a fleet, the nameservers' names in sidecar.json's order; else the tunnels' names, when there is one per nameserver.</summary>
    public static IReadOnlyList<string> NameserverNames(SidecarOptions options) =>
        options.Fleet.Configured ? [.. options.Fleet.Nameservers.Select(n => n.Name)]
        : options.NameserverTunnels.Count == options.Nameservers.Count ? [.. options.NameserverTunnels.Select(t => t.Name)]
        : [];

    private sealed record Look(NameserverSight Sight, IReadOnlyList<EdgeView>? Edges);

    private async Task<Look> LookAtAsync(string name, NameserverClient client, CancellationToken cancel)
    {
        var pool = session.Nameservers.Pool.TrimEnd('.');
        var look = await client.GuardedAsync(async token =>
        {
            var health = await client.HealthAsync(token);
            if (!health.Ok) return Outcome<Look>.Failed(health.Error!);
            var edges = await client.EdgeViewsAsync(token);
            var ours = edges.Ok ? edges.Value!.Where(e => e.Pool.TrimEnd('.').Equals(pool, StringComparison.OrdinalIgnoreCase)).ToList() : null;
            // The serial and reload times add to the look; a nameserver that does not give them is still looked at.
            var z = edges.Ok && await client.ZoneListAsync(token) is { Ok: true } zones ? zones.Value : null;
            var h = health.Value!;
            // A nameserver older than the switch answers 404: its emergency is not known, which is no failure of the look.
            var emergency = await client.EmergencyAsync(pool, token);
            return Outcome<Look>.Success(new Look(new NameserverSight(name, client.ToString(), edges.Error, null, h.Status, h.Version, h.Warnings ?? [])
            {
                Problem = h.Error,
                Zones = h.Zones,
                Zone = z?.Holding(pool, session.Options.Check.Zone),
                ReloadedAt = z?.ReloadedAt,
                ReloadFailedAt = z?.ReloadFailedAt,
                Emergency = emergency.Value,
            }, ours));
        }, session.Options.Rotation.AdminTimeout, session.Time, cancel);
        return look.Ok ? look.Value! : new Look(new NameserverSight(name, client.ToString(), look.Error, null, null, null, []), null);
    }

    private static EdgeOpinion Opinion(string nameserver, IReadOnlyList<EdgeView>? edges, string edge)
    {
        if (edges is null) return new EdgeOpinion(nameserver, EdgeOpinion.Unreachable, false, false, null, null, null);
        if (edges.FirstOrDefault(e => e.Name.Equals(edge, StringComparison.OrdinalIgnoreCase)) is not { } view)
            return new EdgeOpinion(nameserver, EdgeOpinion.Absent, false, false, null, null, null);
        var states = view.Addresses.Select(a => a.State).Distinct().ToList();
        var state = states.Count == 0 ? nameof(EdgeState.Unknown) : string.Join("/", states);
        return new EdgeOpinion(nameserver, state, view.InAnswers, view.Drained, view.Addresses.Select(a => a.Since).Min(),
            view.Addresses.Select(a => a.CertificateDaysLeft).Min(), view.Addresses.Select(a => a.Passive?.Reason).FirstOrDefault(r => r is not null), view.Source)
        {
            AnswersFor = view.AnswersFor,
        };
    }

    /// <summary>
    /// Since when the nameservers that answered have held different views of the edge (null: they agree, or fewer than
    /// two answered). One disagreement turning into another (Up/Down into Down/absent) is the same incident.
    /// </summary>
    private DateTimeOffset? DisagreeingSince(string edge, IReadOnlyList<EdgeOpinion> views, DateTimeOffset now) =>
        Since(_disagreeingSince, edge, views.Where(v => v.State != EdgeOpinion.Unreachable).Select(v => v.Drained ? "drained" : v.State).Distinct().Count() > 1, now);

    private static DateTimeOffset? Since(Dictionary<string, DateTimeOffset> since, string key, bool holds, DateTimeOffset now)
    {
        if (!holds)
        {
            since.Remove(key);
            return null;
        }
        return since.TryGetValue(key, out var first) ? first : since[key] = now;
    }
}
