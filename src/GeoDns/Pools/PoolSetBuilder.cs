using System.Net;
using System.Net.Sockets;
using GeoDns.Health;
using GeoDns.Protocol;
using GeoDns.Zones;

namespace GeoDns.Pools;

/// <summary>
/// Validates the configured pools against the served zones. Any error rejects the whole pool
/// configuration (the caller keeps the last good one); each error names the config key to fix,
/// e.g. <c>pools[0].edges[1].ipv4: '10.0.0.999' is not an IPv4 address</c>.
/// </summary>
public static class PoolSetBuilder
{
    public static (PoolSet Pools, IReadOnlyList<string> Errors) Build(IReadOnlyList<PoolOptions> options, ZoneSet zones) =>
        Build(options, zones, [], null);

    /// <summary>
    /// The configured pools plus <paramref name="stored"/>, the edges added at run time (Source "api"),
    /// each appended to its pool. A stored edge that no longer fits (its pool is gone from the config,
    /// or the config now has an edge of that name) is left out and described in <paramref name="skipped"/>:
    /// it stays in the store and never rejects the config.
    /// </summary>
    public static (PoolSet Pools, IReadOnlyList<string> Errors) Build(IReadOnlyList<PoolOptions> options, ZoneSet zones, IReadOnlyList<StoredEdge> stored, ICollection<string>? skipped)
    {
        var (pools, errors) = BuildConfigured(options, zones);
        return errors.Count > 0 || stored.Count == 0 ? (pools, errors) : (StoredEdges.Merge(pools, stored, skipped), errors);
    }

    /// <summary>Validates one edge given on its own (e.g. in an API request); the messages name the keys of <see cref="EdgeOptions"/>.</summary>
    public static Edge? ValidateEdge(EdgeOptions edge, string source, out IReadOnlyList<string> errors)
    {
        var found = new List<string>();
        var valid = BuildEdge(edge, "", found);
        errors = found;
        return valid is null ? null : valid with { Source = source };
    }

    private static (PoolSet Pools, IReadOnlyList<string> Errors) BuildConfigured(IReadOnlyList<PoolOptions> options, ZoneSet zones)
    {
        var errors = new List<string>();
        var pools = new List<Pool>();
        var edgesByName = new Dictionary<string, Edge>(EdgeIdentity.Names);
        for (var i = 0; i < options.Count; i++)
        {
            var pool = BuildPool(options[i], $"pools[{i}]", zones, errors);
            if (pool is null) continue;
            if (pools.Any(p => p.Name == pool.Name)) errors.Add($"pools[{i}].name: {pool.Name} is already a pool");
            foreach (var (edge, j) in pool.Edges.Select((e, j) => (e, j)))
                if (edgesByName.TryGetValue(edge.Name, out var other) && EdgeIdentity.Conflicts(other, edge))
                    errors.Add($"pools[{i}].edges[{j}].name: edge '{edge.Name}' appears elsewhere with other addresses; an edge name means one machine");
                else edgesByName[edge.Name] = edge;
            pools.Add(pool);
        }
        return (errors.Count == 0 ? new PoolSet(pools) : PoolSet.Empty, errors);
    }

    private static Pool? BuildPool(PoolOptions options, string key, ZoneSet zones, List<string> errors)
    {
        var before = errors.Count;
        if (!DnsName.TryParse(options.Name, out var name, out var nameError))
        {
            errors.Add($"{key}.name: '{options.Name}' is not a domain name ({nameError})");
            return null;
        }
        var zone = zones.FindZone(name);
        if (zone is null) errors.Add($"{key}.name: {name} is not inside any served zone");
        else if (!zone.Transferred && zone.Records.Any(r => r.Owner == name && r.Type is DnsType.A or DnsType.AAAA or DnsType.CNAME))
            errors.Add($"{key}.name: {zone.File} already has A, AAAA or CNAME records at {name}; remove them, the pool answers there");
        var edges = options.Edges.Select((e, j) => BuildEdge(e, $"{key}.edges[{j}]", errors)).OfType<Edge>().ToList();
        foreach (var duplicate in edges.GroupBy(e => e.Name).Where(g => g.Count() > 1))
            errors.Add($"{key}.edges: the name '{duplicate.Key}' is used twice");
        CheckProbe(options.Probe, $"{key}.probe", errors);
        if (options.Ttl > 86400) errors.Add($"{key}.ttl: {options.Ttl} is more than a day");
        if (options.DegradedTtl is { } degraded && (degraded < 1 || degraded > options.Ttl))
            errors.Add($"{key}.degradedTtl: {degraded} is not within 1..{options.Ttl} (at least 1 s, at most the pool's ttl)");
        if (!Enum.TryParse<AllDownPolicy>(options.AllDown, ignoreCase: true, out var policy))
            errors.Add($"{key}.allDown: '{options.AllDown}' is not one of all, none, fallback");
        var fallback = Records(options.Fallback, options.Ttl, name, zone?.Origin ?? name, $"{key}.fallback", errors);
        CheckCnameAlone(fallback, zone, name, $"{key}.fallback", errors);
        var emergency = Records(options.Emergency, options.Ttl, name, zone?.Origin ?? name, $"{key}.emergency", errors);
        CheckCnameAlone(emergency, zone, name, $"{key}.emergency", errors);
        if (policy == AllDownPolicy.Fallback && fallback.Count == 0 && errors.Count == before)
            errors.Add($"{key}.fallback: allDown is 'fallback' but no fallback records are given");
        if (options.Answers < 1) errors.Add($"{key}.answers: at least 1");
        var regions = Regions(options, edges, key, errors);
        return errors.Count == before ? new Pool(name, edges, options.Probe, options.Ttl, policy, fallback)
        {
            DegradedTtl = options.DegradedTtl ?? Math.Min(PoolOptions.DefaultDegradedTtl, options.Ttl),
            Answers = options.Answers,
            Regions = regions,
            Transfer = options.Transfer,
            Emergency = emergency.Count > 0 ? emergency : fallback,
        } : null;
    }

    private static Dictionary<string, IReadOnlyList<string>> Regions(PoolOptions options, List<Edge> edges, string key, List<string> errors)
    {
        var regions = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (region, names) in options.Regions)
        {
            if (region.Length != 2 || !region.All(char.IsAsciiLetter))
                errors.Add($"{key}.regions.{region}: not a two-letter country (DE) or continent (EU) code");
            foreach (var unknown in names.Where(n => edges.All(e => e.Name != n)))
                errors.Add($"{key}.regions.{region}: '{unknown}' is not an edge of this pool");
            regions[region.ToUpperInvariant()] = names;
        }
        return regions;
    }

    private static Edge? BuildEdge(EdgeOptions e, string key, List<string> errors)
    {
        var before = errors.Count;
        // An empty key (an edge given on its own) gives "ipv4: ..." rather than ".ipv4: ...".
        string Key(string field) => key == "" ? field : $"{key}.{field}";
        var whole = key == "" ? "" : $"{key}: ";
        if (string.IsNullOrWhiteSpace(e.Name)) errors.Add($"{Key("name")}: an edge needs a name");
        // Names become file names at home (the sidecar's edges/NAME/): "." or "../x" must never be one.
        else if (!EdgeIdentity.IsValidName(e.Name))
            errors.Add($"{Key("name")}: '{e.Name}' is not an edge name: up to 63 letters, digits, '-', '_' and '.', starting with a letter or digit");
        var ipv4 = Address(e.Ipv4, AddressFamily.InterNetwork, Key("ipv4"), errors);
        var ipv6 = Address(e.Ipv6, AddressFamily.InterNetworkV6, Key("ipv6"), errors);
        if (e.Ipv4 is null && e.Ipv6 is null) errors.Add($"{whole}an edge needs ipv4, ipv6 or both");
        if (e.Latitude is null != e.Longitude is null) errors.Add($"{whole}give both latitude and longitude, or neither");
        if (e.Latitude is < -90 or > 90) errors.Add($"{Key("latitude")}: {e.Latitude} is not within -90..90");
        if (e.Longitude is < -180 or > 180) errors.Add($"{Key("longitude")}: {e.Longitude} is not within -180..180");
        if (e.Country is { } c && (c.Length != 2 || !c.All(char.IsAsciiLetter))) errors.Add($"{Key("country")}: '{c}' is not a two-letter country code");
        if (!(e.Weight > 0)) errors.Add($"{Key("weight")}: must be more than 0");
        return errors.Count == before ? new Edge(e.Name, ipv4, ipv6, e.Latitude, e.Longitude, e.Country?.ToUpperInvariant(), e.Weight) : null;
    }

    private static IPAddress? Address(string? text, AddressFamily family, string key, List<string> errors)
    {
        if (text is null) return null;
        // IPAddress.TryParse also takes forms like "10.1"; an edge address must be written out in full.
        var ok = IPAddress.TryParse(text, out var address) && address.AddressFamily == family && (family != AddressFamily.InterNetwork || text.Count(ch => ch == '.') == 3);
        if (!ok) errors.Add($"{key}: '{text}' is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address");
        return ok ? address : null;
    }

    private static void CheckProbe(ProbeSettings p, string key, List<string> errors)
    {
        if (p.Type is not ("tcp" or "https")) errors.Add($"{key}.type: '{p.Type}' is not tcp or https");
        if (p.Port is < 1 or > 65535) errors.Add($"{key}.port: {p.Port} is not a port");
        if (p.Interval < TimeSpan.FromSeconds(1)) errors.Add($"{key}.interval: at least 1 s");
        if (p.Timeout <= TimeSpan.Zero || p.Timeout >= p.Interval) errors.Add($"{key}.timeout: must be more than 0 and less than the interval");
        if (p.ReprobeInterval <= TimeSpan.Zero) errors.Add($"{key}.reprobeInterval: must be more than 0");
        if (p.TimeoutFloor <= TimeSpan.Zero) errors.Add($"{key}.timeoutFloor: must be more than 0");
        if (p.ConfirmProbes is < 1 or > 32) errors.Add($"{key}.confirmProbes: {p.ConfirmProbes} is not within 1..32");
        if (p.FailuresToDown < 1) errors.Add($"{key}.failuresToDown: at least 1");
        if (p.SuccessesToUp < 1) errors.Add($"{key}.successesToUp: at least 1");
        if (p.ExpectedStatus is < 100 or > 599) errors.Add($"{key}.expectedStatus: {p.ExpectedStatus} is not an HTTP status");
        if (!p.Path.StartsWith('/')) errors.Add($"{key}.path: '{p.Path}' must start with /");
        if (p.CertificateWarningDays is < 0 or > 365) errors.Add($"{key}.certificateWarningDays: {p.CertificateWarningDays} is not within 0..365 (0: no warning)");
    }

    /// <summary>Records in zone-file form without owner (<c>fallback</c>, <c>emergency</c>), owned by the pool; errors name <paramref name="key"/>[i].</summary>
    private static List<ResourceRecord> Records(List<string> texts, uint ttl, DnsName owner, DnsName origin, string key, List<string> errors)
    {
        var records = new List<ResourceRecord>();
        for (var i = 0; i < texts.Count; i++)
        {
            var parts = texts[i].Trim().Split(' ', 2, StringSplitOptions.TrimEntries);
            if (parts.Length < 2 || !DnsType.TryParse(parts[0], out var type))
                errors.Add($"{key}[{i}]: '{texts[i]}' is not 'TYPE data', e.g. 'CNAME sorry.example.net.'");
            else if (!RdataEncoder.TryEncode(type, parts[1], origin, out var data, out var error))
                errors.Add($"{key}[{i}]: {error}");
            else records.Add(new ResourceRecord(owner, type, ttl, data, new RecordSource($"{key}[{i}]")));
        }
        if (records.Any(r => r.Type == DnsType.CNAME) && records.Count > 1)
            errors.Add($"{key}: a CNAME must be the only record");
        return records;
    }

    private static void CheckCnameAlone(IReadOnlyList<ResourceRecord> records, Zone? zone, DnsName name, string key, List<string> errors)
    {
        // RFC 1034 §3.6.2: a CNAME stands alone, so a pool's CNAME needs a name the zone holds nothing else at. Its A, AAAA
        // and CNAME there are the pool's own: a zone file may not hold them (above), and a zone transferred from a primary
        // carries that primary's answer for the pool, which this server's slot replaces.
        if (zone is not null && records.Any(r => r.Type == DnsType.CNAME) && zone.Records.Any(r => r.Owner == name && !PoolOwned(r.Type)))
            errors.Add($"{key}: a CNAME cannot stand beside the records {zone.File} holds at {name}");
    }

    private static bool PoolOwned(ushort type) => type is DnsType.A or DnsType.AAAA or DnsType.CNAME;
}
