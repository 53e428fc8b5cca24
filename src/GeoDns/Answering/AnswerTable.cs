using GeoDns.Protocol;

namespace GeoDns.Answering;

/// <summary>
/// What the query path reads: every served name, keyed by its lowercase wire form (the name's own
/// <see cref="DnsName.Wire"/>, no copy), so a query looks its name up from a stack buffer without allocating.
/// <para>
/// Its shape is fixed when it is built (zones and pool set: which names exist, their static replies, the
/// slots). Two things change in place after it is published, both by the publisher alone, under its swap lock:
/// each <see cref="PoolSlot.Current"/> in <see cref="Slots"/>, and the reply sets of the entries that read a
/// pool (its own name, a CNAME or MX naming it, a wildcard above it…), listed in <see cref="Dependents"/>.
/// <see cref="AnswerTableBuilder.Apply"/> sets a slot, then re-renders its dependents one by one, each set
/// swapped whole by a volatile write: a query sees an entry's old reply or its new one, never a torn one, and
/// for a moment some entries of a pool may be new while others are still old. This is deliberate: a health or
/// drain change costs the pool's dependents, not a rebuild of every zone. The <see cref="Snapshot"/> that holds
/// the table is replaced after these writes, with the routes they came from.
/// </para>
/// </summary>
public sealed class AnswerTable
{
    public static readonly AnswerTable Empty = new(NewEntries(0), null, new Dictionary<DnsName, PoolSlot>(), [], new Dictionary<DnsName, ZoneSerial>());

    private readonly Dictionary<byte[], NameEntry>.AlternateLookup<ReadOnlySpan<byte>> _lookup;

    internal AnswerTable(Dictionary<byte[], NameEntry> entries, Resolver? resolver, IReadOnlyDictionary<DnsName, PoolSlot> slots,
        Dictionary<PoolSlot, List<PoolDependent>> dependents, IReadOnlyDictionary<DnsName, ZoneSerial> serials)
    {
        Serials = serials;
        _lookup = entries.GetAlternateLookup<ReadOnlySpan<byte>>();
        Resolver = resolver;
        Count = entries.Count;
        Slots = slots;
        Dependents = dependents;
    }

    /// <summary>Used per query only for names a DNAME rewrites.</summary>
    public Resolver? Resolver { get; }

    public int Count { get; }

    /// <summary>The pooled names this table answers, each with its current answer (swapped in place by the route lane).</summary>
    public IReadOnlyDictionary<DnsName, PoolSlot> Slots { get; }

    /// <summary>Per slot, the entries whose replies read it and are re-rendered in place when it changes; fixed at build.</summary>
    internal Dictionary<PoolSlot, List<PoolDependent>> Dependents { get; }

    /// <summary>Each zone's served serial: the publisher moves it without a rebuild (see <see cref="ZoneSerial"/>).</summary>
    public IReadOnlyDictionary<DnsName, ZoneSerial> Serials { get; }

    /// <summary>Makes <paramref name="serial"/> the serial that replies of <paramref name="origin"/> carry; false when the table does not serve it.</summary>
    public bool SetSerial(DnsName origin, uint serial)
    {
        if (!Serials.TryGetValue(origin, out var slot)) return false;
        slot.Value = serial;
        return true;
    }

    /// <param name="wireName">A name in lowercase wire form.</param>
    public NameEntry? Find(ReadOnlySpan<byte> wireName) => _lookup.TryGetValue(wireName, out var entry) ? entry : null;

    public PoolSlot? Slot(DnsName pool) => Slots.GetValueOrDefault(pool);

    /// <summary>The entries' dictionary, keyed by wire form, sized for <paramref name="names"/>.</summary>
    internal static Dictionary<byte[], NameEntry> NewEntries(int names) => new(names, WireComparer.Instance);

    private sealed class WireComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly WireComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] wire) => Hash(wire);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }

    /// <summary>The hash of wire bytes: a name's as the table keys it, or a reply's tail (randomized per process).</summary>
    internal static int Hash(ReadOnlySpan<byte> wire)
    {
        var hash = new HashCode();
        hash.AddBytes(wire);
        return hash.ToHashCode();
    }
}
