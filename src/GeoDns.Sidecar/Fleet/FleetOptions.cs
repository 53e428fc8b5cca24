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

    /// <summary>The pool's settings on every nameserver (ttl, answers, allDown, probe, regions …), as the
    /// server's config names them; its name and edges are the sidecar's (<c>pool</c>, and the edges it adds).</summary>
    public JsonObject? Pool { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool Configured => Nameservers.Count > 0;

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
        foreach (var key in SidecarsPoolKeys.Where(k => Pool?.ContainsKey(k) == true))
            yield return $"fleet.pool.{key}: set by the sidecar (the pool's name is `pool`, its edges the ones it adds)";
    }
}
