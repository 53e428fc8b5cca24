using GeoDns.Pools;
using GeoDns.Protocol;
using GeoDns.Zones;

namespace GeoDns.Answering;

/// <summary>
/// Builds the <see cref="AnswerTable"/> for a zone set: runs the <see cref="Resolver"/> for every
/// name and every type that can matter there, and renders each reply once.
/// </summary>
public static class AnswerTableBuilder
{
    /// <summary>A type no zone holds: resolving it gives the reply for "any other type".</summary>
    private const ushort OtherType = 0;

    /// <summary>Stands for the query name in tails that never mention it (NXDOMAIN, referrals): no zone owns it.</summary>
    private static readonly DnsName Placeholder = DnsName.Root.Prepend("\u0001");

    public static AnswerTable Build(ZoneSet zones, RoutingTable? routes = null)
    {
        var index = new ZoneIndex(zones, routes);
        var resolver = new Resolver(index);
        var allTypes = index.Nodes.SelectMany(n => n.RRsets).Select(s => s.Type)
            .Concat([DnsType.ANY, DnsType.CNAME, DnsType.DS]).Distinct().ToArray();
        var nxdomain = new Dictionary<Zone, AnswerSet>();
        var entries = new Dictionary<string, NameEntry>(StringComparer.Ordinal);
        foreach (var node in index.Nodes)
        {
            // Names that a chain can leave (CNAME, DNAME) may end anywhere: try every type we hold.
            var chains = node.Find(DnsType.CNAME) is not null || node.Dname is not null;
            var types = chains ? allTypes : node.RRsets.Select(s => s.Type).Concat([DnsType.ANY, DnsType.CNAME, DnsType.DS]).Distinct().ToArray();
            var exact = Prepare(resolver, node.Name, types, node.Name.IsWildcard);
            if (routes?.Find(node.Name) is { AllDown: false } route) exact = WithGeo(exact, route, node.Name);
            entries[AnswerTable.Key(node.Name.Wire)] = new NameEntry(exact, Below(node, index, resolver, allTypes, nxdomain));
        }
        return new AnswerTable(entries, resolver);
    }

    private static AnswerSet Below(ZoneNode node, ZoneIndex index, Resolver resolver, ushort[] allTypes, Dictionary<Zone, AnswerSet> nxdomain)
    {
        if (node.Cut is { } cut) return AnswerSet.Single(Render(resolver.Referral(cut)));
        if (node.Dname is not null || node.Find(DnsType.DNAME) is not null) return AnswerSet.Single(PreparedAnswer.Dynamic);
        var wildcard = index.Find(node.Name.Prepend("*"));
        if (wildcard is not null) return Prepare(resolver, wildcard.Name, allTypes, positionIndependent: true);
        if (!nxdomain.TryGetValue(node.Zone, out var set))
        {
            // Every missing name of a zone gets the same NXDOMAIN tail.
            set = AnswerSet.Single(Render(resolver.NameError(node)));
            nxdomain[node.Zone] = set;
        }
        return set;
    }

    /// <summary>A pool's A and AAAA answers become per-query choices among its healthy edges.</summary>
    private static AnswerSet WithGeo(AnswerSet exact, PoolRoute route, DnsName name)
    {
        var types = new List<ushort>();
        var answers = new List<PreparedAnswer>();
        foreach (var type in (ushort[])[DnsType.A, DnsType.AAAA])
        {
            var candidates = route.Edges
                .Select(e => e.Answerable(type) is { } a ? new GeoCandidate(e.Edge, a.Address, a.Suspect) : null)
                .OfType<GeoCandidate>()
                .ToList();
            if (candidates.Count == 0) continue; // no healthy address of this family: the static NODATA stands
            var geo = new GeoAnswer(candidates, route.Pool.Answers, route.Pool.Regions, chosen => RenderPool(route.Pool, name, type, chosen));
            types.Add(type);
            answers.Add(new PreparedAnswer([], 0, true, 0, 0, 0, 0, false) { Geo = geo });
        }
        return exact.With(types, answers);
    }

    private static PreparedAnswer RenderPool(Pool pool, DnsName name, ushort type, IEnumerable<GeoCandidate> chosen)
    {
        var records = chosen.Select(c => new ResourceRecord(name, type, pool.Ttl, c.Address.GetAddressBytes())).ToList();
        var resolution = new Resolution();
        resolution.Answer.Add(new RRset(name, type, pool.Ttl, records));
        return AnswerRenderer.Render(resolution, name, type, positionIndependent: false);
    }

    private static AnswerSet Prepare(Resolver resolver, DnsName name, ushort[] types, bool positionIndependent)
    {
        var @default = Render(resolver, name, OtherType, positionIndependent);
        var kept = new List<(ushort Type, PreparedAnswer Answer)>();
        foreach (var type in types)
        {
            var answer = Render(resolver, name, type, positionIndependent);
            if (!answer.SameAs(@default)) kept.Add((type, answer));
        }
        return new AnswerSet([.. kept.Select(k => k.Type)], [.. kept.Select(k => k.Answer)], @default);
    }

    private static PreparedAnswer Render(Resolver resolver, DnsName name, ushort type, bool positionIndependent) =>
        AnswerRenderer.Render(resolver.Resolve(name, type), name, type, positionIndependent);

    private static PreparedAnswer Render(Resolution resolution) =>
        AnswerRenderer.Render(resolution, Placeholder, OtherType, positionIndependent: true);
}
