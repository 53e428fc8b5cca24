namespace GeoDns.Answering;

/// <summary>
/// The immutable snapshot the query path reads: every served name, keyed by its lowercase wire
/// form widened byte-for-char, so a query looks its name up from a stack buffer without allocating.
/// </summary>
public sealed class AnswerTable
{
    public static readonly AnswerTable Empty = new(new Dictionary<string, NameEntry>(), null);

    private readonly Dictionary<string, NameEntry>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public AnswerTable(Dictionary<string, NameEntry> entries, Resolver? resolver)
    {
        _lookup = entries.GetAlternateLookup<ReadOnlySpan<char>>();
        Resolver = resolver;
        Count = entries.Count;
    }

    /// <summary>Used per query only for names a DNAME rewrites.</summary>
    public Resolver? Resolver { get; }

    public int Count { get; }

    public NameEntry? Find(ReadOnlySpan<char> wireName) => _lookup.TryGetValue(wireName, out var entry) ? entry : null;

    public static string Key(byte[] wire) => string.Create(wire.Length, wire, static (chars, bytes) =>
    {
        for (var i = 0; i < bytes.Length; i++) chars[i] = (char)bytes[i];
    });
}
