using GeoDns.Protocol;

namespace GeoDns.Answering;

/// <summary>
/// Where a served zone's SOA serial lives. Every prepared reply that carries the zone's SOA (the SOA answer, the
/// negative answers' authority) notes where its serial sits, and the responder writes this value there as it copies
/// the reply. So a change that moves only the serial (a pool's records moved in a transferred zone, a secondary's copy
/// moved only at pooled names) is one store here, not a rebuild of the table. One writer (the publisher); readers
/// take <see cref="Value"/> once per reply.
/// </summary>
public sealed class ZoneSerial(DnsName origin, uint value)
{
    private volatile uint _value = value;

    public DnsName Origin { get; } = origin;

    public uint Value
    {
        get => _value;
        internal set => _value = value;
    }
}
