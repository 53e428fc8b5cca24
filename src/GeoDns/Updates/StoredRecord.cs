using GeoDns.Protocol;

namespace GeoDns.Updates;

/// <summary>A record as the journal and the dynamic-record store keep it on disk: names and RDATA as hex wire bytes.</summary>
public sealed record StoredRecord(string Owner, ushort Type, uint Ttl, string Data)
{
    public static StoredRecord From(ResourceRecord r) => new(Convert.ToHexString(r.Owner.Wire), r.Type, r.Ttl, Convert.ToHexString(r.Data));

    public ResourceRecord ToRecord(string source) => new(DnsName.FromWire(Convert.FromHexString(Owner)), Type, Ttl, Convert.FromHexString(Data), new RecordSource(source));
}
