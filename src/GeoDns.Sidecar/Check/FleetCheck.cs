using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using GeoDns.Contracts;
using GeoDns.Sidecar.Admin;
using GeoDns.Sidecar.WireGuard;

namespace GeoDns.Sidecar.Check;

/// <summary>
/// <c>geodns-sidecar check</c>: the whole chain, from outside, as a resolver and a browser meet it. Reads what the
/// nameservers' admin APIs say, then runs every check at once (each bounded by <c>check.timeout</c>, so a dead server
/// costs seconds, not the command), and returns the lines in a fixed order: delegation, nameservers, pool answers,
/// edges, tunnels, the home.
/// </summary>
public sealed class FleetCheck(SidecarOptions options, TimeProvider time, HttpMessageHandler? http = null)
{
    /// <summary>Roots to trust instead of the system's, for the edges' certificates (tests).</summary>
    public X509Certificate2Collection? Roots { get; init; }

    /// <summary>Why the config cannot be checked (a usage error, exit 2), or null.</summary>
    public static string? Problem(SidecarOptions options)
    {
        var problems = options.Problems().Concat(options.Check.Problems()).ToList();
        var token = options.AdminTokenValue();
        if (!token.Ok) problems.Add(token.Error!);
        if (options.NameserverTunnels.Count == 0 && PublicAddresses(options).Count == 0)
            problems.Add("nameserverTunnels: none listed, and no nameservers URL names a public address: check cannot find the nameservers' public addresses");
        return problems.Count == 0 ? null : string.Join("\n", problems);
    }

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        using var client = http is null ? new HttpClient { Timeout = options.Check.Timeout } : new HttpClient(http, disposeHandler: false) { Timeout = options.Check.Timeout };
        var nameservers = await Task.WhenAll(Nameservers(client).Select(ns => AskAdminAsync(ns, cancel)));
        var results = new List<CheckResult>();
        var tunnel = TunnelAddresses.Parse(options.TunnelNetwork, out _)!;
        results.AddRange(nameservers.Select(ns => ns.AdminProblem is { } problem
            ? CheckResult.Fail($"admin API of {ns.Label}", problem, $"start GeoDns on {ns.Name}; its admin API is reached "
                + (ns.Admin is not null && IPAddress.TryParse(ns.Admin.BaseUrl.Host, out var host) && tunnel.Contains(host) ? $"through its tunnel (see tunnel {ns.Name})" : $"at {ns.Admin?.BaseUrl}")
                + "; the token is adminToken(File)")
            : CheckResult.Pass($"admin API of {ns.Label}", $"{ns.Admin!.BaseUrl.GetLeftPart(UriPartial.Authority)}: {ns.Edges!.Count} edges of {options.Pool} ({ns.Edges.Count(e => e.InAnswers)} in answers)"
                + (ns.Version is null ? "" : $", version {ns.Version}"))));

        if (EmergencyLine(nameservers) is { } emergency) results.Add(emergency);

        var zone = Zone(nameservers);
        if (zone is null)
        {
            results.Add(CheckResult.Fail("zone", $"no nameserver's admin API lists a zone holding {options.Pool}", "set check.zone, or get an admin API answering"));
            return results;
        }
        var fleet = new FleetView(options, nameservers, zone, time) { Roots = Roots };
        var resolvers = Resolvers();

        var apex = ZoneApex.ReadAsync(fleet, cancel);
        var delegation = DelegationAsync(fleet, apex, resolvers.Select(r => r.Endpoint).FirstOrDefault(e => e is not null), cancel);
        var authority = AuthorityCheck.RunAsync(fleet, cancel);
        var direct = Task.WhenAll(nameservers.Select(ns => PoolAnswerCheck.AtNameserverAsync(fleet, ns, cancel)));
        var recursive = Task.WhenAll(resolvers.Select(r => r.Endpoint is { } endpoint
            ? PoolAnswerCheck.ThroughResolverAsync(fleet, r.Resolver, endpoint, cancel)
            : Task.FromResult(CheckResult.Fail($"pool {fleet.Pool} through resolver {r.Resolver}", "no address", "set check.resolvers"))));
        var edges = Task.WhenAll(fleet.Serving.Select(e => EdgeCheck.RunAsync(fleet, e, cancel)));
        var tunnels = TunnelCheck.RunAsync(fleet, cancel);
        var rotations = RotationLedger.ReadAsync(options, time, options.Check.Timeout, cancel);

        results.AddRange(await delegation);
        results.AddRange(await authority);
        results.AddRange(await direct);
        results.AddRange(await recursive);
        if (fleet.Serving.Count == 0)
            results.Add(CheckResult.Fail("edges", $"no nameserver answers any edge of {options.Pool}", "see `geodns-sidecar status` and GET /v1/edges; `bootstrap` creates the config's edges"));
        results.AddRange((await edges).SelectMany(e => e));
        results.AddRange(await tunnels);
        results.Add(HomeCheck.Rotations(fleet, await rotations));
        results.Add(HomeCheck.Certificate(fleet));
        Took = clock.Elapsed;
        return results;
    }

    /// <summary>
    /// A line only while the pool's emergency answer is on somewhere: it fails, since the pool's edges are not answered
    /// (nor, where only some nameservers have it on, the same answer everywhere) until it is turned off.
    /// </summary>
    private CheckResult? EmergencyLine(IReadOnlyList<CheckedNameserver> nameservers)
    {
        var on = nameservers.Where(n => n.Emergency is { On: true }).ToList();
        if (on.Count == 0) return null;
        var off = nameservers.Where(n => n.Emergency is { On: false }).Select(n => n.Name).ToList();
        var detail = $"on at {string.Join(", ", on.Select(n => n.Name))}{(off.Count > 0 ? $", off at {string.Join(", ", off)}" : "")}: " +
            $"{Commands.EmergencyCommand.Since(on[0].Emergency!)}; the pool's edges are not answered";
        return CheckResult.Fail($"emergency answer of {options.Pool.TrimEnd('.')}", detail, off.Count > 0
            ? "`geodns-sidecar emergency on` (or off) again, so that every nameserver answers the same"
            : "`geodns-sidecar emergency off` (or the fleet panel's Emergency off) once the edges can serve again");
    }

    /// <summary>How long the last run took.</summary>
    public TimeSpan Took { get; private set; }

    private async Task<IReadOnlyList<CheckResult>> DelegationAsync(FleetView fleet, Task<Outcome<ZoneApex>> apex, IPEndPoint? resolver, CancellationToken cancel)
    {
        var parents = await DelegationCheck.ParentsAsync(fleet, resolver, cancel);
        if (!parents.Ok)
            return [CheckResult.Fail($"delegation of {fleet.Zone}", parents.Error!, "set check.parents to the parent zone's servers (ADDR:PORT)")];
        var read = await apex;
        return await Task.WhenAll(parents.Value!.Select(p => DelegationCheck.RunAsync(fleet, read, p, cancel)));
    }

    /// <summary>
    /// The nameservers: each of <c>nameserverTunnels</c> at the host of its endpoint, with the admin URL on its tunnel
    /// address (else the one at the same position). Without tunnels, the admin URLs' own hosts are the public addresses.
    /// </summary>
    private List<CheckedNameserver> Nameservers(HttpClient client)
    {
        var token = options.AdminTokenValue().Value!;
        var admins = options.Nameservers.Select(u => new NameserverClient(new Uri(u), token, client)).ToList();
        if (options.NameserverTunnels.Count == 0)
            return admins.Where(a => IPAddress.TryParse(a.BaseUrl.Host.Trim('[', ']'), out _))
                .Select(a => new CheckedNameserver(a.BaseUrl.Host, new IPEndPoint(IPAddress.Parse(a.BaseUrl.Host.Trim('[', ']')), options.Check.DnsPort), a)).ToList();
        var tunnel = TunnelAddresses.Parse(options.TunnelNetwork, out _)!;
        return options.NameserverTunnels.Select((t, i) =>
        {
            var onTunnel = admins.FirstOrDefault(a => a.BaseUrl.Host == tunnel.Nameserver(i).ToString());
            var admin = onTunnel ?? (admins.Count == options.NameserverTunnels.Count ? admins[i] : null);
            return new CheckedNameserver(t.Name, new IPEndPoint(IPEndPoint.Parse(t.Endpoint).Address, options.Check.DnsPort), admin);
        }).ToList();
    }

    private static List<IPAddress> PublicAddresses(SidecarOptions options) =>
        options.Nameservers.Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var a) ? a : null).OfType<IPAddress>().ToList();

    private async Task<CheckedNameserver> AskAdminAsync(CheckedNameserver ns, CancellationToken cancel)
    {
        if (ns.Admin is null) return ns with { AdminProblem = "no admin URL in nameservers for it" };
        var pool = options.Pool.TrimEnd('.');
        // The wall clock bounds the wait, as check.timeout bounds every other question the check asks.
        var looked = await ns.Admin.GuardedAsync(async token =>
        {
            var zones = await ns.Admin.ZonesAsync(token);
            var edges = await ns.Admin.EdgeViewsAsync(token);
            if (!zones.Ok || !edges.Ok) return Outcome<CheckedNameserver>.Failed(zones.Error ?? edges.Error!);
            var health = await ns.Admin.HealthAsync(token);
            var emergency = await ns.Admin.EmergencyAsync(pool, token);
            return Outcome<CheckedNameserver>.Success(ns with
            {
                Zones = zones.Value,
                Edges = edges.Value!.Where(e => e.Pool.TrimEnd('.').Equals(pool, StringComparison.OrdinalIgnoreCase)).ToList(),
                Version = health.Ok ? health.Value!.Version : null,
                Emergency = emergency.Value,
            });
        }, options.Check.Timeout, TimeProvider.System, cancel);
        return looked.Ok ? looked.Value! : ns with { AdminProblem = looked.Error };
    }

    /// <summary><c>check.zone</c>, else the longest zone some nameserver serves that holds the pool.</summary>
    private string? Zone(IEnumerable<CheckedNameserver> nameservers)
    {
        if (!string.IsNullOrWhiteSpace(options.Check.Zone)) return options.Check.Zone.TrimEnd('.');
        return nameservers.SelectMany(n => n.Zones ?? []).Where(z => ZoneApex.Within(options.Pool, z))
            .OrderByDescending(z => z.Length).FirstOrDefault();
    }

    /// <summary><c>check.resolvers</c>, else the first nameserver of /etc/resolv.conf (as the system's own lookups use).</summary>
    private List<(CheckResolver Resolver, IPEndPoint? Endpoint)> Resolvers()
    {
        if (options.Check.Resolvers is { } listed) return listed.Select(r => (r, r.Endpoint())).ToList();
        var first = ResolvConf.FirstNameserver();
        return first is null ? [] : [(new CheckResolver { Address = first.ToString() }, new IPEndPoint(first, 53))];
    }
}
