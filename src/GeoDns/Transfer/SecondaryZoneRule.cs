using System.Net;
using GeoDns.Protocol;
using GeoDns.Tsig;

namespace GeoDns.Transfer;

/// <summary>A zone we pull, as checked from its <see cref="SecondaryZoneOptions"/>: its primaries, in order, and the key that signs the exchange with them.</summary>
public sealed record SecondaryZoneRule(DnsName Zone, IReadOnlyList<IPEndPoint> Primaries, TsigKey? Key)
{
    public int MaxRecords { get; init; } = SecondaryZoneOptions.DefaultMaxRecords;
    public long MaxBytes { get; init; } = SecondaryZoneOptions.DefaultMaxBytes;
}
