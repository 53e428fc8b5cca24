using GeoDns.Protocol;

namespace GeoDns.Updates;

/// <summary>
/// How much dynamic data a zone may hold (the <c>exchange</c> section's <c>maxDynamicRecords</c> and <c>maxDynamicBytes</c>).
/// Every UPDATE rewrites the zone's dynamic file and composes the zone again, and every record travels to the
/// secondaries: without a cap one key holder could grow all three without end. An UPDATE that would pass a cap is
/// refused whole; one that shrinks the data is always taken, so a lowered cap never locks records in.
/// </summary>
public sealed record UpdateLimits(int Records, int Bytes)
{
    /// <summary>1000 records and 256 KiB a zone: far beyond ACME challenges and a home's dynamic names, far below harm.</summary>
    public static readonly UpdateLimits Default = new(1000, 256 * 1024);

    /// <summary>A record's size as a transfer carries it, uncompressed: owner, type, class, TTL, length, RDATA.</summary>
    public static int Size(ResourceRecord record) => record.Owner.Wire.Length + 10 + record.Data.Length;
}
