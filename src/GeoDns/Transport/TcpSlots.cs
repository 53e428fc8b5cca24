namespace GeoDns.Transport;

/// <summary>
/// The TCP transport's fixed table of connections (RFC 7766 §6.2.3: no client may hold the server hostage): a cap per
/// client prefix, and when every slot is taken the connection idle longest is closed to make room.
/// </summary>
internal sealed class TcpSlots(int size, int perPrefix)
{
    private readonly TcpConnection?[] _slots = new TcpConnection?[size];
    private readonly Lock _gate = new();
    private int _open;

    /// <summary>Connections holding a slot now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>RFC 7766 §6.2.3: a free slot for <paramref name="connection"/>, making one by closing the longest-idle connection if need be; -1 to refuse it.</summary>
    public int Admit(TcpConnection connection)
    {
        lock (_gate)
        {
            int free = -1, oldest = -1, samePrefix = 0;
            for (var i = 0; i < _slots.Length; i++)
            {
                var other = _slots[i];
                if (other is null)
                {
                    if (free < 0) free = i;
                    continue;
                }
                if (other.Prefix == connection.Prefix) samePrefix++;
                var idle = Volatile.Read(ref other.IdleSince);
                if (idle != 0 && (oldest < 0 || idle < Volatile.Read(ref _slots[oldest]!.IdleSince))) oldest = i;
            }
            if (samePrefix >= perPrefix) return -1;
            if (free < 0)
            {
                if (oldest < 0) return -1; // every slot is busy answering: nothing can be closed
                // Under pressure the idle connection that waited longest goes first.
                _slots[oldest]!.Timer.Cancel();
                _slots[oldest] = null;
                free = oldest;
            }
            _slots[free] = connection;
            Interlocked.Increment(ref _open);
            return free;
        }
    }

    /// <summary>Frees <paramref name="slot"/> unless an eviction gave it to another connection already.</summary>
    public void Release(TcpConnection connection, int slot)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_slots[slot], connection)) _slots[slot] = null;
        }
        Interlocked.Decrement(ref _open);
    }
}
