using GeoDns.Protocol;
using GeoDns.Updates;
using GeoDns.Zones;

namespace GeoDns.Transfer;

/// <summary>
/// A zone transferred in is held to the rules of a zone file (<see cref="ZoneValidator"/>): every owner at or below
/// the origin (a primary must not slip records into another zone we serve, or outside every zone), one SOA at the
/// apex, NS there, a CNAME alone, no names below a DNAME. A copy that breaks one is never stored or served.
/// </summary>
public static class TransferCheck
{
    /// <summary>
    /// What is wrong with <paramref name="records"/>, the zone after a transfer; empty when nothing. After an IXFR
    /// (<paramref name="steps"/>) that adds no alias or SOA, only what the steps could break is read again: the names
    /// they added to, the DNAMEs and the apex. So a pool's move costs its few records, not the zone's.
    /// </summary>
    public static IReadOnlyList<string> Problems(DnsName origin, IReadOnlyList<ResourceRecord> records, IReadOnlyList<ZoneDelta>? steps, string source)
    {
        IEnumerable<ResourceRecord> read = records;
        var added = steps?.SelectMany(s => s.Added).ToList();
        if (added is not null && added.All(r => r.Type is not (DnsType.CNAME or DnsType.DNAME or DnsType.SOA)))
        {
            var touched = added.Select(r => r.Owner).ToHashSet();
            read = records.Where(r => touched.Contains(r.Owner) || r.Type == DnsType.DNAME || (r.Owner == origin && r.Type is DnsType.SOA or DnsType.NS));
        }
        var (_, errors) = ZoneValidator.Validate(origin, read, source);
        return [.. errors.Select(e => e.Message)];
    }

    /// <summary>
    /// Why the zone after a transfer passes the secondary's caps, or null. <see cref="ZoneFetcher"/> counts one transfer's
    /// records and bytes as they arrive; an IXFR carries only steps, so steps each under the caps could otherwise grow a
    /// copy without end. Records are counted as an AXFR counts them (the SOA excepted), bytes as the records' uncompressed
    /// size, every record summed: a running total from the steps' deletions could be talked down by deleting records
    /// that were never there.
    /// </summary>
    public static string? OverCaps(SecondaryZoneRule rule, IReadOnlyList<ResourceRecord> records)
    {
        var count = records.Count - 1;
        if (count > rule.MaxRecords) return $"would leave {count} records in the zone, above exchange.secondaries[].maxRecords ({rule.MaxRecords})";
        long bytes = 0;
        foreach (var r in records) bytes += UpdateLimits.Size(r);
        return bytes > rule.MaxBytes ? $"would leave {bytes} bytes of records in the zone, above exchange.secondaries[].maxBytes ({rule.MaxBytes})" : null;
    }
}
