using GeoDns.Protocol;

namespace GeoDns.Answering;

/// <summary>
/// What the query path reads: every served name, keyed by its lowercase wire form widened
/// byte-for-char, so a query looks its name up from a stack buffer without allocating. Its shape is
/// fixed when it is built (zones and pool set); pooled names' answers live in <see cref="Slots"/> and
/// are swapped on their own (<see cref="AnswerTableBuilder.Apply"/>).
/// </summary>
public sealed class AnswerTable
{
    public static readonly AnswerTable Empty = new(new Dictionary<string, NameEntry>(), null, new Dictionary<DnsName, PoolSlot>(), []);

    private readonly Dictionary<string, NameEntry>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    internal AnswerTable(Dictionary<string, NameEntry> entries, Resolver? resolver, IReadOnlyDictionary<DnsName, PoolSlot> slots,
        Dictionary<PoolSlot, List<PoolDependent>> dependents)
    {
        _lookup = entries.GetAlternateLookup<ReadOnlySpan<char>>();
        Resolver = resolver;
        Count = entries.Count;
        Slots = slots;
        Dependents = dependents;
    }

    /// <summary>Used per query only for names a DNAME rewrites.</summary>
    public Resolver? Resolver { get; }

    public int Count { get; }

    /// <summary>The pooled names this table answers, each with its current answer.</summary>
    public IReadOnlyDictionary<DnsName, PoolSlot> Slots { get; }

    internal Dictionary<PoolSlot, List<PoolDependent>> Dependents { get; }

    public NameEntry? Find(ReadOnlySpan<char> wireName) => _lookup.TryGetValue(wireName, out var entry) ? entry : null;

    public PoolSlot? Slot(DnsName pool) => Slots.GetValueOrDefault(pool);

    public static string Key(byte[] wire) => string.Create(wire.Length, wire, static (chars, bytes) =>
    {
        for (var i = 0; i < bytes.Length; i++) chars[i] = (char)bytes[i];
    });
}
