namespace GeoDns.Protocol;

/// <summary>
/// One resource record as loaded from a zone: owner, type, class, TTL and RDATA in wire form.
/// Names inside RDATA are stored uncompressed and lowercase-preserving as written;
/// <see cref="RdataNames"/> knows where they sit. <see cref="Source"/> names the file and line it came from.
/// </summary>
public sealed record ResourceRecord(DnsName Owner, ushort Type, uint Ttl, byte[] Data, RecordSource Source = default)
{
    public const ushort ClassIN = 1;

    public override string ToString() => $"{Owner} {Ttl} IN {DnsType.ToString(Type)} \\# {Data.Length} {Convert.ToHexString(Data)}";
}
