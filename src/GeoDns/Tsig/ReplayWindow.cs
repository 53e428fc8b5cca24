namespace GeoDns.Tsig;

/// <summary>
/// The MACs of the signed UPDATE and NOTIFY messages accepted within their time window. RFC 8945 §5.2.3 bounds
/// how long a captured message stays valid but does not stop it being sent again inside that time; a replayed
/// UPDATE would re-apply a change its signer has since undone (re-adding a deleted record, say). Each MAC is kept
/// only until its message would fail the time check anyway (time signed + fudge, the fudge capped at
/// <see cref="TsigSigner.Fudge"/>), so memory is bounded by what key holders send in ten minutes at most, and
/// by <see cref="Capacity"/> beyond that: a full window refuses, as a key holder flooding us deserves.
/// </summary>
public sealed class ReplayWindow(int capacity = ReplayWindow.DefaultCapacity)
{
    /// <summary>Ten thousand signed changes in the window (about 16 a second for ten minutes); some 2 MB at most.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly Lock _lock = new();
    private readonly HashSet<string> _seen = [];
    private readonly PriorityQueue<string, ulong> _expiries = new();

    public int Capacity { get; } = capacity;

    /// <summary>How many MACs are remembered now (after the last admission dropped the expired ones).</summary>
    public int Count
    {
        get { lock (_lock) return _seen.Count; }
    }

    /// <summary>True for a MAC not seen within its window (and now remembered until <paramref name="validUntil"/>,
    /// seconds since the epoch); false for a replay, or when the window is full.</summary>
    public bool Admit(ReadOnlySpan<byte> mac, ulong validUntil, ulong now)
    {
        var id = Convert.ToHexString(mac);
        lock (_lock)
        {
            while (_expiries.TryPeek(out var old, out var until) && until < now)
            {
                _expiries.Dequeue();
                _seen.Remove(old);
            }
            if (_seen.Count >= Capacity || !_seen.Add(id)) return false;
            _expiries.Enqueue(id, validUntil);
            return true;
        }
    }
}
