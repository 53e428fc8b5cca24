using GeoDns.Protocol;

namespace GeoDns.Answering;

/// <summary>
/// Where a pooled name's current answer lives. The answer table is built when zones or the pool set
/// change; a health or drain change only swaps the <see cref="PoolAnswer"/> here and re-renders the
/// table entries that depend on it, so its cost grows with the pool, not with the zones. One writer
/// (the publisher); readers take <see cref="Current"/> once.
/// </summary>
public sealed class PoolSlot(DnsName name)
{
    private volatile PoolAnswer? _current;

    public DnsName Name { get; } = name;

    /// <summary>Null until the first route is applied: the name then answers as NODATA for A and AAAA.</summary>
    public PoolAnswer? Current
    {
        get => _current;
        internal set => _current = value;
    }

    /// <summary>Whether this slot, not the zone, holds a name's records of <paramref name="type"/>.</summary>
    public static bool Holds(ushort type) => type is DnsType.A or DnsType.AAAA or DnsType.CNAME;

    public RRset? Find(ushort type) => Current is not { } answer ? null : type switch
    {
        DnsType.A => answer.A,
        DnsType.AAAA => answer.Aaaa,
        DnsType.CNAME => answer.Cname,
        _ => null,
    };
}
