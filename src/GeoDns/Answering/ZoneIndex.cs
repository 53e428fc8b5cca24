using System.Buffers.Binary;
using System.Runtime.InteropServices;
using GeoDns.Memory;
using GeoDns.Protocol;
using GeoDns.Zones;

namespace GeoDns.Answering;

/// <summary>
/// Every name of every served zone, each held by the most specific zone that contains it,
/// with the empty non-terminals between owners and apex filled in, and a slot for each pool's
/// current records at its name.
/// </summary>
public sealed class ZoneIndex
{
    private readonly Dictionary<DnsName, ZoneNode> _nodes = [];
    private readonly Dictionary<DnsName, PoolSlot> _slots = [];
    private readonly Dictionary<DnsName, ZoneNode> _wildcards = []; // by the name they are below
    private readonly Dictionary<DnsName, ZoneSerial> _serials = [];

    public ZoneIndex(ZoneSet zones, IEnumerable<DnsName>? pools = null)
    {
        foreach (var zone in zones.Zones)
        {
            // A child zone we also serve is authoritative for its own names; the parent's copy
            // (its delegation NS and any glue) steps aside.
            var children = zones.Zones.Where(z => z != zone && z.Origin.IsAtOrBelow(zone.Origin)).Select(z => z.Origin).ToList();
            // Owners outside the zone never come from a checked file or transfer; skipped all the same, since the walks up to the apex below would never end.
            foreach (var set in RRsets(zone.Records.Where(r => r.Owner.IsAtOrBelow(zone.Origin) && !children.Any(r.Owner.IsAtOrBelow))).Paced())
                GetOrAdd(set.Owner, zone).Add(set.Type == DnsType.SOA && set.Owner == zone.Origin ? WithSerial(set) : set);
            GetOrAdd(zone.Origin, zone);
        }
        foreach (var pool in pools ?? [])
        {
            if (zones.FindZone(pool) is not { } zone) continue; // its zone is gone: nothing to answer
            var node = GetOrAdd(pool, zone); // exists even with no records: NODATA, not NXDOMAIN
            // The pool's answer replaces whatever address data the zone holds there (config validation warns of it).
            node.RemoveAddresses();
            node.Pool = new PoolSlot(pool);
            _slots[pool] = node.Pool;
        }
        foreach (var node in _nodes.Values.Paced())
        {
            MarkOverrides(node);
            if (node.Name.IsWildcard) _wildcards[node.Name.Parent] = node;
        }
        Nodes = _nodes.Values.ToList();
    }

    public IReadOnlyList<ZoneNode> Nodes { get; }

    /// <summary>
    /// The records as RRsets, in the order each first appears (file order). Two passes with one dictionary of counts
    /// rather than a GroupBy: that made a group and a growing array per name, which lived as long as the whole
    /// grouping and so were promoted by the paced collections before they died.
    /// </summary>
    private static List<RRset> RRsets(IEnumerable<ResourceRecord> records)
    {
        var sets = new Dictionary<(DnsName, ushort), (int Count, uint Ttl, ResourceRecord[]? Records, int Filled)>();
        foreach (var r in records.Paced())
        {
            ref var set = ref CollectionsMarshal.GetValueRefOrAddDefault(sets, (r.Owner, r.Type), out var known);
            set = (set.Count + 1, known ? Math.Min(set.Ttl, r.Ttl) : r.Ttl, null, 0);
        }
        var result = new List<RRset>(sets.Count);
        foreach (var r in records.Paced())
        {
            ref var set = ref CollectionsMarshal.GetValueRefOrNullRef(sets, (r.Owner, r.Type));
            if (set.Records is null)
            {
                set.Records = new ResourceRecord[set.Count];
                result.Add(new RRset(r.Owner, r.Type, set.Ttl, set.Records)); // filled by the rest of this loop
            }
            set.Records[set.Filled++] = r;
        }
        return result;
    }

    /// <summary>Each served zone's serial, written into every reply that carries its SOA.</summary>
    public IReadOnlyDictionary<DnsName, ZoneSerial> Serials => _serials;

    private RRset WithSerial(RRset soa)
    {
        var data = soa.Records[0].Data;
        var serial = _serials[soa.Owner] = new ZoneSerial(soa.Owner, BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(RdataNames.Skip(data, RdataNames.Skip(data, 0)))));
        return new RRset(soa.Owner, soa.Type, soa.Ttl, soa.Records) { Serial = serial };
    }

    /// <summary>Each pooled name inside a served zone, with the slot its current answer is swapped into.</summary>
    public IReadOnlyDictionary<DnsName, PoolSlot> Slots => _slots;

    public ZoneNode? Find(DnsName name) => _nodes.GetValueOrDefault(name);

    /// <summary>The wildcard <c>*.</c><paramref name="encloser"/>, if the zone has one (a lookup, not a name made per call).</summary>
    public ZoneNode? Wildcard(ZoneNode encloser) => _wildcards.GetValueOrDefault(encloser.Name);

    /// <summary>The deepest existing node at or above <paramref name="name"/> (the closest encloser), or null outside every zone.</summary>
    public ZoneNode? FindClosest(DnsName name)
    {
        for (var current = name; ; current = current.Parent)
        {
            if (_nodes.TryGetValue(current, out var node)) return node;
            if (current.IsRoot) return null;
        }
    }

    private ZoneNode GetOrAdd(DnsName name, Zone zone)
    {
        if (_nodes.TryGetValue(name, out var node)) return node;
        node = new ZoneNode(name, zone);
        _nodes[name] = node;
        if (name != zone.Origin) GetOrAdd(name.Parent, zone); // empty non-terminals exist (RFC 8020)
        return node;
    }

    private void MarkOverrides(ZoneNode node)
    {
        // Walk from the apex down to the node; the first cut or DNAME found wins, as in RFC 1034 §4.3.2 step 3.
        var path = new Stack<ZoneNode>();
        for (var n = node.Name; ; n = n.Parent)
        {
            path.Push(_nodes[n]);
            if (n == node.Zone.Origin) break;
        }
        foreach (var step in path)
        {
            if (step.Name != node.Zone.Origin && step.Find(DnsType.NS) is not null) { node.Cut = step; return; }
            if (step != node && step.Find(DnsType.DNAME) is not null) { node.Dname = step; return; }
        }
    }
}
