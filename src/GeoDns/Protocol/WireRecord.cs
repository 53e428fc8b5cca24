namespace GeoDns.Protocol;

/// <summary>
/// A record as read from a message by <see cref="MessageReader"/>: names decompressed (RDATA names of
/// the RFC 1035 types too), class and TTL as sent, and where the record starts and ends in the message.
/// </summary>
public sealed record WireRecord(DnsName Owner, ushort Type, ushort Class, uint Ttl, byte[] Data, int Start, int End)
{
    public ResourceRecord ToResourceRecord(string source = "") => new(Owner, Type, Ttl, Data, new RecordSource(source));
}
