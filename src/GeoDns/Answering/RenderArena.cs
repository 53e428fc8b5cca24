namespace GeoDns.Answering;

/// <summary>
/// What one table build's renders share, so a big zone leaves fewer objects for the collector to trace:
/// the replies without answer records by content (NODATA, referrals and NXDOMAIN come out byte for byte the
/// same for many names of a zone: the question is not in the tail, and the pointers in it depend only on the
/// length of the name's first labels), and the reply bytes, copied into shared chunks rather than one array each.
/// One per build and thread; not for the replies made later (a pool's re-render), which are few.
/// </summary>
internal sealed class RenderArena
{
    /// <summary>Under the large-object threshold, so a chunk is a young object like the rest of the build.</summary>
    private const int ChunkBytes = 64 << 10;

    private readonly Dictionary<int, PreparedAnswer> _shared = [];
    private byte[] _chunk = [];
    private int _used;

    public PreparedAnswer? Shared(int key) => _shared.GetValueOrDefault(key);

    /// <summary>Keeps <paramref name="answer"/> for others of the same content; a rare collision keeps the first (the second is then not shared).</summary>
    public void Share(int key, PreparedAnswer answer) => _shared.TryAdd(key, answer);

    public ArraySegment<byte> Copy(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > ChunkBytes / 4) return bytes.ToArray();
        if (_used + bytes.Length > _chunk.Length) (_chunk, _used) = (new byte[ChunkBytes], 0);
        bytes.CopyTo(_chunk.AsSpan(_used));
        var segment = new ArraySegment<byte>(_chunk, _used, bytes.Length);
        _used += bytes.Length;
        return segment;
    }
}
