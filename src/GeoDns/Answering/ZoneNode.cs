using GeoDns.Protocol;
using GeoDns.Zones;

namespace GeoDns.Answering;

/// <summary>
/// One name of a zone's tree: its RRsets in file order, or none for an empty non-terminal
/// (which exists all the same, RFC 8020). <see cref="Cut"/> and <see cref="Dname"/> say what
/// overrides the data here: a delegation at or above this name, or a DNAME strictly above it.
/// </summary>
public sealed class ZoneNode(DnsName name, Zone zone)
{
    public DnsName Name { get; } = name;
    public Zone Zone { get; } = zone;
    // Most names hold one RRset: it sits in a field, and only a name with more has an array (all of them), so a
    // big zone keeps no list or array per name for the collector to trace.
    private RRset _single = null!;
    private RRset[]? _more;

    public ReadOnlySpan<RRset> RRsets => _more ?? (_single is null ? [] : new ReadOnlySpan<RRset>(ref _single));

    /// <summary>The topmost delegation point (NS below the apex) at or above this name.</summary>
    public ZoneNode? Cut { get; set; }

    /// <summary>The topmost node strictly above this name that owns a DNAME (RFC 6672 §2.3: it occludes us).</summary>
    public ZoneNode? Dname { get; set; }

    /// <summary>Set for a pooled name: its A and AAAA come from the pool's current answer, not from <see cref="RRsets"/>.</summary>
    public PoolSlot? Pool { get; set; }

    public RRset? Find(ushort type)
    {
        if (Pool is { } pool && PoolSlot.Holds(type)) return pool.Find(type);
        foreach (var set in RRsets)
            if (set.Type == type) return set;
        return null;
    }

    internal void Add(RRset set) => Keep([.. RRsets, set]);

    /// <summary>A pooled name's own addresses and CNAME give way to the pool's.</summary>
    internal void RemoveAddresses() => Keep([.. RRsets.ToArray().Where(set => set.Type is not (DnsType.A or DnsType.AAAA or DnsType.CNAME))]);

    private void Keep(RRset[] sets) => (_single, _more) = (sets.Length == 1 ? sets[0] : null!, sets.Length > 1 ? sets : null);

    /// <summary>The first RRset held here (RFC 8482: the answer to ANY), the pool's addresses first on a pooled name.</summary>
    public RRset? First() => Pool is { } pool ? pool.Find(DnsType.A) ?? pool.Find(DnsType.AAAA) ?? pool.Find(DnsType.CNAME) ?? First(RRsets) : First(RRsets);

    private static RRset? First(ReadOnlySpan<RRset> sets) => sets.IsEmpty ? null : sets[0];
}
