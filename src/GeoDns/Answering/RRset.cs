using GeoDns.Protocol;

namespace GeoDns.Answering;

/// <summary>The records of one owner and type. RFC 2181 §5: they share one TTL.</summary>
public sealed class RRset(DnsName owner, ushort type, uint ttl, IReadOnlyList<ResourceRecord> records)
{
    public DnsName Owner { get; } = owner;
    public ushort Type { get; } = type;
    public uint Ttl { get; } = ttl;
    public IReadOnlyList<ResourceRecord> Records { get; } = records;

    /// <summary>On a zone's apex SOA: where its served serial lives, written into each reply that carries it.</summary>
    public ZoneSerial? Serial { get; init; }

    /// <summary>The same data under another owner: wildcard synthesis (RFC 4592 §3.3.1).</summary>
    public RRset WithOwner(DnsName owner) => owner == Owner ? this : new(owner, Type, Ttl, Records) { Serial = Serial };
}
