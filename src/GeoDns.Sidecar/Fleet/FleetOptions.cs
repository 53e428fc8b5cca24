using System.Text.Json.Nodes;

namespace GeoDns.Sidecar.Fleet;

/// <summary>
/// The nameservers as the sidecar sets them up (<c>fleet</c> in sidecar.json): the delegated zone, each
/// nameserver's name and addresses, and the settings every nameserver's pool gets. From these the sidecar
/// writes each nameserver's files (<see cref="NameserverBundle"/>) and derives what it needs to reach them:
/// their tunnels and admin URLs, so <c>nameservers</c> and <c>nameserverTunnels</c> stay empty.
/// </summary>
public sealed class FleetOptions
{
    private static readonly string[] SidecarsPoolKeys = ["name", "edges"];

    /// <summary>The delegated zone, e.g. <c>edge.example.com</c>: the pool's name lies inside it.</summary>
    public string Zone { get; set; } = "";

    public List<FleetNameserver> Nameservers { get; set; } = [];

    /// <summary>The first nameserver holds the zone file and the others follow it by zone transfers (NOTIFY, IXFR, TSIG); false: each holds the file.</summary>
    public bool Transfers { get; set; } = true;

    /// <summary>The DNS port every nameserver answers, transfers and NOTIFYs on.</summary>
    public int DnsPort { get; set; } = 53;

    /// <summary>The port of each nameserver's admin endpoint, on its tunnel address.</summary>
    public int AdminPort { get; set; } = 8053;

    /// <summary>The mailbox in the zone's SOA, as its first label (<c>hostmaster</c> is hostmaster.ZONE).</summary>
    public string Hostmaster { get; set; } = "hostmaster";

    /// <summary>
    /// Your own records in the zone, beside the apex the sidecar writes: zone-file lines relative to the zone
    /// (<c>www IN CNAME app</c>, <c>@ IN MX 10 mail.example.net.</c>), appended to the first nameserver's zone file.
    /// </summary>
    public List<string> Records { get; set; } = [];

    /// <summary>
    /// The nameserver package (<c>geodns_V_ARCH.deb</c>, deploy/package/build-deb.sh) the provisionNameserver hook installs;
    /// needed when that hook is set. Its file name carries the version the nameservers must report once installed.
    /// </summary>
    public string? Package { get; set; }

    /// <summary>The zone that delegates ours (default: the zone without its first label, <c>example.com</c> for edge.example.com).</summary>
    public string? Parent { get; set; }

    /// <summary>TTL of the NS and glue records the delegate hook writes at the parent.</summary>
    public int DelegationTtl { get; set; } = 3600;

    /// <summary>How long <c>bootstrap</c> waits for the parent to serve the delegation (the records added by hand, without a delegate hook).</summary>
    public TimeSpan DelegationTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a provisioned nameserver has to answer on its tunnel, ready, on the package's version.</summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long <c>rotate NAMESERVER</c> keeps the old VPS answering once the parent serves the new glue (null: <see cref="RetireWait"/>'s
    /// default). Shorter than the TTLs, resolvers that cached the old address time out there and retry another nameserver.
    /// </summary>
    public TimeSpan? RetireAfter { get; set; }

    /// <summary>The pool's settings on every nameserver (ttl, answers, allDown, probe, regions …), as the
    /// server's config names them; its name and edges are the sidecar's (<c>pool</c>, and the edges it adds).</summary>
    public JsonObject? Pool { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool Configured => Nameservers.Count > 0;

    /// <summary>
    /// How long a rotated-out nameserver keeps answering: <see cref="RetireAfter"/>, else the parent's glue TTL plus the
    /// zone's own TTL (its NS and address records, which resolvers take from the nameservers themselves).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TimeSpan RetireWait => RetireAfter ?? TimeSpan.FromSeconds(DelegationTtl + NameserverBundle.ZoneTtl);

    /// <summary>The parent zone, as given or derived.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string ParentZone => (Parent ?? Check.DelegationCheck.Parent(Zone.TrimEnd('.'))).TrimEnd('.');

    /// <summary>Everything wrong with the section, each naming its key.</summary>
    public IEnumerable<string> Problems(string pool)
    {
        if (!Configured) yield break;
        var zone = Zone.TrimEnd('.');
        if (!System.Text.RegularExpressions.Regex.IsMatch(zone, @"^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9-]{2,63}$"))
            yield return $"fleet.zone: '{Zone}' is not a domain name";
        else if (!(pool.TrimEnd('.').EndsWith("." + zone, StringComparison.OrdinalIgnoreCase)))
            yield return $"fleet.zone: the pool '{pool}' is not inside {zone}";
        foreach (var problem in Nameservers.Select(n => n.Problem()).OfType<string>()) yield return $"fleet.nameservers: {problem}";
        foreach (var twice in Nameservers.GroupBy(n => n.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            yield return $"fleet.nameservers: {twice.Key} is listed twice";
        if (DnsPort is < 1 or > 65535) yield return $"fleet.dnsPort: {DnsPort} is not a port (1-65535)";
        if (AdminPort is < 1 or > 65535) yield return $"fleet.adminPort: {AdminPort} is not a port (1-65535)";
        if (!System.Text.RegularExpressions.Regex.IsMatch(Hostmaster, "^[A-Za-z0-9._-]+$")) yield return $"fleet.hostmaster: '{Hostmaster}' is not a mailbox label";
        if (DelegationTtl is < 60 or > 86400) yield return $"fleet.delegationTtl: {DelegationTtl} is not between 60 and 86400 seconds";
        if (RetireAfter < TimeSpan.Zero) yield return "fleet.retireAfter must not be negative";
        if (Parent is not null && !Zone.TrimEnd('.').EndsWith("." + Parent.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
            yield return $"fleet.parent: {Zone} is not inside '{Parent}'";
        if (Package is not null && !Package.EndsWith(".deb", StringComparison.Ordinal)) yield return $"fleet.package: '{Package}' is not a .deb file";
        // A line that opens a parenthesis or a directive would swallow or change what follows: one record per line.
        foreach (var (line, i) in Records.Select((l, i) => (l, i)).Where(r => r.l.Contains('\n') || r.l.Contains('(') || r.l.TrimStart().StartsWith('$')))
            yield return $"fleet.records[{i}]: '{line}' is not one record on one line (no parentheses, no $ directives)";
        foreach (var key in SidecarsPoolKeys.Where(k => Pool?.ContainsKey(k) == true))
            yield return $"fleet.pool.{key}: set by the sidecar (the pool's name is `pool`, its edges the ones it adds)";
    }
}
