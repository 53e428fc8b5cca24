using GeoDns.Memory;
using GeoDns.Pools;
using GeoDns.Protocol;
using GeoDns.Zones;

namespace GeoDns.Answering;

/// <summary>
/// Builds the <see cref="AnswerTable"/> for a zone set: runs the <see cref="Resolver"/> for every
/// name and every type that can matter there, and renders each reply once. A pool's change is
/// applied with <see cref="Apply"/>, which re-renders only the entries that read that pool.
/// </summary>
public static class AnswerTableBuilder
{
    /// <summary>A type no zone holds: resolving it gives the reply for "any other type".</summary>
    private const ushort OtherType = 0;

    /// <summary>Stands for the query name in tails that never mention it (NXDOMAIN, referrals): no zone owns it.</summary>
    private static readonly DnsName Placeholder = DnsName.Root.Prepend("\u0001");

    /// <summary>The table with every pool of <paramref name="routes"/> applied: for tests and one-off builds.</summary>
    public static AnswerTable Build(ZoneSet zones, RoutingTable? routes = null)
    {
        var table = Build(zones, routes?.Pools.Select(r => r.Pool.Name) ?? []);
        foreach (var route in routes?.Pools ?? []) Apply(table, route);
        return table;
    }

    /// <summary>
    /// The table for <paramref name="zones"/> with a slot at each pooled name; the slots start empty
    /// (A and AAAA answer NODATA there) until <see cref="Apply"/> gives each its route.
    /// </summary>
    public static AnswerTable Build(ZoneSet zones, IEnumerable<DnsName> pools)
    {
        _arena = new();
        try
        {
            return Build(new ZoneIndex(zones, pools));
        }
        finally
        {
            _arena = null; // a pool's later re-render (Apply) makes its own objects: they are few
        }
    }

    private static AnswerTable Build(ZoneIndex index)
    {
        var resolver = new Resolver(index);
        var held = new HashSet<ushort> { DnsType.A, DnsType.AAAA, DnsType.ANY, DnsType.CNAME, DnsType.DS };
        foreach (var node in index.Nodes)
            foreach (var set in node.RRsets) held.Add(set.Type);
        var allTypes = held.ToArray();
        var nxdomain = new Dictionary<Zone, Func<Touched, AnswerSet>>();
        var entries = AnswerTable.NewEntries(index.Nodes.Count);
        var dependents = new Dictionary<PoolSlot, List<PoolDependent>>();
        Touched exactTouched = new(), belowTouched = new(); // reused: most names touch no pool
        foreach (var node in index.Nodes)
        {
            CollectionPacer.Step();
            // Names that a chain can leave (CNAME, DNAME, a pool's fallback CNAME) may end anywhere: try every type we hold.
            var chains = node.Find(DnsType.CNAME) is not null || node.Dname is not null || node.Pool is not null;
            var types = chains ? allTypes : OwnTypes(node);
            var below = Below(node, index, resolver, allTypes, nxdomain);
            exactTouched.Clear();
            belowTouched.Clear();
            var entry = new NameEntry(Exact(resolver, node, types, exactTouched), below(belowTouched));
            entries[node.Name.Wire] = entry;
            if (node.Pool is { } own) exactTouched.Add(own);
            if (exactTouched.Pools is not null || belowTouched.Pools is not null)
                AddDependent(dependents, entry, resolver, node, types, below, exactTouched.Pools, belowTouched.Pools);
        }
        return new AnswerTable(entries, resolver, index.Slots, dependents, index.Serials);
    }

    /// <summary>
    /// Registers the re-renders of an entry that reads a pool. A method of its own so that the closures'
    /// captured state is allocated only for these few entries, not for every name of the loop above.
    /// </summary>
    private static void AddDependent(Dictionary<PoolSlot, List<PoolDependent>> dependents, NameEntry entry, Resolver resolver, ZoneNode node,
        ushort[] types, Func<Touched, AnswerSet> below, HashSet<PoolSlot>? exactPools, HashSet<PoolSlot>? belowPools)
    {
        foreach (var slot in exactPools ?? []) DependentsOf(dependents, slot).Add(new PoolDependent(entry, false, () => Exact(resolver, node, types, new())));
        foreach (var slot in belowPools ?? []) DependentsOf(dependents, slot).Add(new PoolDependent(entry, true, () => below(new())));
    }

    /// <summary>
    /// Gives the pool's slot its new route and re-renders the entries that read it. One caller at a
    /// time (the publisher); queries meanwhile see each entry's old reply or its new one.
    /// </summary>
    public static void Apply(AnswerTable table, PoolRoute route)
    {
        if (table.Slot(route.Pool.Name) is not { } slot) return; // its zone is not served
        slot.Current = Answer(route);
        foreach (var dependent in table.Dependents.GetValueOrDefault(slot) ?? [])
            dependent.Entry.Replace(dependent.Below, dependent.Render());
    }

    /// <summary>The pools an entry's replies read; allocated only for the few entries that read one.</summary>
    private sealed class Touched
    {
        public HashSet<PoolSlot>? Pools { get; private set; }

        public void Add(PoolSlot pool) => (Pools ??= []).Add(pool);

        /// <summary>Forgets the pools, not the set handed out: a dependent keeps what it was given.</summary>
        public void Clear() => Pools = null;

        public void Add(HashSet<PoolSlot>? pools)
        {
            if (pools is not null) (Pools ??= []).UnionWith(pools);
        }
    }

    private static ushort[] OwnTypes(ZoneNode node)
    {
        // A loop, not a LINQ chain with a set: this runs once per name of every build.
        var types = new ushort[node.RRsets.Length + 3];
        var count = 0;
        foreach (var set in node.RRsets) Add(set.Type);
        Add(DnsType.ANY);
        Add(DnsType.CNAME);
        Add(DnsType.DS);
        return count == types.Length ? types : types[..count];

        void Add(ushort type)
        {
            if (Array.IndexOf(types, type, 0, count) < 0) types[count++] = type;
        }
    }

    private static List<PoolDependent> DependentsOf(Dictionary<PoolSlot, List<PoolDependent>> dependents, PoolSlot slot)
    {
        if (!dependents.TryGetValue(slot, out var list)) dependents[slot] = list = [];
        return list;
    }

    private static AnswerSet Exact(Resolver resolver, ZoneNode node, ushort[] types, Touched touched) =>
        WithGeo(Prepare(resolver, node.Name, types, node.Name.IsWildcard, touched), node.Pool);

    private static Func<Touched, AnswerSet> Below(ZoneNode node, ZoneIndex index, Resolver resolver, ushort[] allTypes, Dictionary<Zone, Func<Touched, AnswerSet>> nxdomain)
    {
        if (node.Cut is { } cut) return touched => AnswerSet.Single(Render(resolver.Referral(cut), touched));
        if (node.Dname is not null || node.Find(DnsType.DNAME) is not null) return _ => AnswerSet.Single(PreparedAnswer.Dynamic);
        var wildcard = index.Wildcard(node);
        if (wildcard is not null) return touched => Prepare(resolver, wildcard.Name, allTypes, positionIndependent: true, touched);
        if (!nxdomain.TryGetValue(node.Zone, out var below))
        {
            // Every missing name of a zone gets the same NXDOMAIN tail (and the same function giving it).
            var set = AnswerSet.Single(Render(resolver.NameError(node), new()));
            nxdomain[node.Zone] = below = _ => set;
        }
        return below;
    }

    /// <summary>A pool's A and AAAA answers become per-query choices among its healthy edges.</summary>
    private static AnswerSet WithGeo(AnswerSet exact, PoolSlot? slot)
    {
        if (slot?.Current is not { } pool) return exact;
        var types = new List<ushort>();
        var answers = new List<PreparedAnswer>();
        foreach (var type in (ushort[])[DnsType.A, DnsType.AAAA])
        {
            if (pool.GeoFor(type) is not { } geo) continue; // no healthy address of this family (or all down): the rendered answer stands
            types.Add(type);
            answers.Add(new PreparedAnswer([], 0, true, 0, 0, 0, 0, false) { Geo = geo });
        }
        return types.Count == 0 ? exact : exact.With(types, answers);
    }

    /// <summary>The records and geo choices a route gives its pool's name, rendered with the TTL the route says applies now.</summary>
    private static PoolAnswer Answer(PoolRoute route)
    {
        var pool = route.Pool;
        var ttl = route.Ttl.Seconds;
        RRset? Set(ushort type) => route.Records.Where(r => r.Type == type).ToList() is { Count: > 0 } records
            ? new RRset(pool.Name, type, ttl, records) : null;
        GeoAnswer? Geo(ushort type)
        {
            if (route.AllDown || route.AnswersEmergency) return null; // the rendered records stand: no edge to choose
            var candidates = route.Edges
                .Select(e => e.Answerable(type) is { } a ? new GeoCandidate(e.Edge, a.Address, a.Suspect) : null)
                .OfType<GeoCandidate>()
                .ToList();
            return candidates.Count == 0 ? null : new GeoAnswer(candidates, pool.Answers, pool.Regions, chosen => RenderPool(pool, type, ttl, chosen));
        }
        return new PoolAnswer(route, Set(DnsType.A), Set(DnsType.AAAA), Set(DnsType.CNAME), Geo(DnsType.A), Geo(DnsType.AAAA));
    }

    private static PreparedAnswer RenderPool(Pool pool, ushort type, uint ttl, IEnumerable<GeoCandidate> chosen)
    {
        var records = chosen.Select(c => new ResourceRecord(pool.Name, type, ttl, c.Address.GetAddressBytes())).ToList();
        var resolution = new Resolution();
        resolution.Answer.Add(new RRset(pool.Name, type, ttl, records));
        return AnswerRenderer.Render(resolution, pool.Name, type, positionIndependent: false);
    }

    private static AnswerSet Prepare(Resolver resolver, DnsName name, ushort[] types, bool positionIndependent, Touched touched)
    {
        var @default = Render(resolver, name, OtherType, positionIndependent, touched);
        // Scratch arrays per thread; the set keeps what it needs (two in fields, copies of the rest), so nothing else is left to collect.
        if (_keptTypes is null || _keptTypes.Length < types.Length) (_keptTypes, _keptAnswers) = (new ushort[types.Length], new PreparedAnswer[types.Length]);
        var (keptTypes, keptAnswers) = (_keptTypes, _keptAnswers!);
        var kept = 0;
        foreach (var type in types)
        {
            var answer = Render(resolver, name, type, positionIndependent, touched, @default);
            if (ReferenceEquals(answer, @default)) continue;
            // ANY's reply is often byte for byte another type's (RFC 8482: the first RRset): keep one object for both.
            for (var i = 0; i < kept; i++)
                if (keptAnswers[i].SameAs(answer)) { answer = keptAnswers[i]; break; }
            (keptTypes[kept], keptAnswers[kept++]) = (type, answer);
        }
        var set = new AnswerSet(keptTypes.AsSpan(0, kept), keptAnswers.AsSpan(0, kept), @default);
        Array.Clear(keptAnswers, 0, kept); // no stale references kept alive
        return set;
    }

    /// <summary>One resolution per thread, reused for every name and type a build resolves (each is rendered at once).</summary>
    [ThreadStatic] private static Resolution? _scratch;
    [ThreadStatic] private static ushort[]? _keptTypes;
    [ThreadStatic] private static PreparedAnswer[]? _keptAnswers;

    /// <summary>What the renders of the build running on this thread share.</summary>
    [ThreadStatic] private static RenderArena? _arena;

    private static PreparedAnswer Render(Resolver resolver, DnsName name, ushort type, bool positionIndependent, Touched touched, PreparedAnswer? same = null)
    {
        var resolution = resolver.Resolve(name, type, _scratch ??= new Resolution());
        touched.Add(resolution.Pools);
        return AnswerRenderer.Render(resolution, name, type, positionIndependent, same, _arena);
    }

    private static PreparedAnswer Render(Resolution resolution, Touched touched)
    {
        touched.Add(resolution.Pools);
        return AnswerRenderer.Render(resolution, Placeholder, OtherType, positionIndependent: true, arena: _arena);
    }
}
