using GeoDns.Memory;
using GeoDns.Protocol;

namespace GeoDns.Zones;

/// <summary>
/// Checks the rules a zone must keep beyond syntax, reporting every violation with the file and line of the
/// record at fault. Also merges duplicate records and equalises RRset TTLs (see <see cref="RRsetNormalizer"/>).
/// </summary>
public static class ZoneValidator
{
    /// <summary>Types allowed beside a CNAME (RFC 4035 §2.5: the DNSSEC records of the CNAME itself).</summary>
    private const ushort Rrsig = 46, Nsec = 47;

    /// <param name="complete">False when some records were dropped for syntax errors: then a missing SOA or NS
    /// may be one of those, and reporting it would only mislead.</param>
    public static (IReadOnlyList<ResourceRecord> Records, IReadOnlyList<ZoneError> Errors) Validate(
        DnsName origin, IEnumerable<ResourceRecord> records, string file, bool complete = true)
    {
        var zone = RRsetNormalizer.Normalize(records);
        var errors = new List<ZoneError>();
        foreach (var r in zone.Where(r => !r.Owner.IsAtOrBelow(origin)))
            errors.Add(Error(r, file, $"{r.Owner} is outside the zone {origin}; owners must be {origin} or below it"));
        CheckApex(origin, zone, file, complete, errors);
        // Only owners with a CNAME or DNAME have rules to break: grouping just those keeps a big zone's load from making
        // (and the collector from promoting) a group per name.
        var aliased = zone.Where(r => r.Type is DnsType.CNAME or DnsType.DNAME).Select(r => r.Owner).ToHashSet();
        foreach (var owner in zone.Paced().Where(r => aliased.Contains(r.Owner)).GroupBy(r => r.Owner).Paced())
            CheckOwner(owner, file, errors);
        var dnames = zone.Where(r => r.Type == DnsType.DNAME).ToList();
        foreach (var r in zone)
            if (dnames.FirstOrDefault(d => r.Owner != d.Owner && r.Owner.IsAtOrBelow(d.Owner)) is { } dname)
                errors.Add(Error(r, file, $"{r.Owner} is below the DNAME at {dname.Owner} ({Where(dname, r)}); a DNAME owner can have no names below it (RFC 6672 §2.4)"));
        return (zone, errors.OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).ToList());
    }

    /// <summary>RFC 1035 §5.2: exactly one SOA, at the top of the zone; RFC 1034 §4.2.1: NS records there too.</summary>
    private static void CheckApex(DnsName origin, List<ResourceRecord> zone, string file, bool complete, List<ZoneError> errors)
    {
        var soas = zone.Where(r => r.Type == DnsType.SOA && r.Owner.IsAtOrBelow(origin)).ToList();
        foreach (var soa in soas.Where(r => r.Owner != origin))
            errors.Add(Error(soa, file, $"SOA record at {soa.Owner}: the SOA belongs at the zone apex {origin}"));
        var apexSoas = soas.Where(r => r.Owner == origin).ToList();
        foreach (var extra in apexSoas.Skip(1))
            errors.Add(Error(extra, file, $"second SOA record (the first is at {Where(apexSoas[0], extra)}); a zone has exactly one"));
        if (!complete) return;
        if (apexSoas.Count == 0) errors.Add(new ZoneError(file, 0, $"no SOA record at the zone apex {origin}"));
        if (!zone.Any(r => r.Type == DnsType.NS && r.Owner == origin)) errors.Add(new ZoneError(file, 0, $"no NS records at the zone apex {origin}"));
    }

    /// <summary>RFC 1034 §3.6.2 and RFC 2181 §10.1: a CNAME stands alone and is single; RFC 6672 §2.4: one DNAME per owner.</summary>
    private static void CheckOwner(IEnumerable<ResourceRecord> owner, string file, List<ZoneError> errors)
    {
        var records = owner.ToList();
        var cnames = records.Where(r => r.Type == DnsType.CNAME).ToList();
        foreach (var extra in cnames.Skip(1))
            errors.Add(Error(extra, file, $"second CNAME at {extra.Owner} (the first is at {Where(cnames[0], extra)}); a name can have only one CNAME"));
        if (cnames.Count > 0 && records.FirstOrDefault(r => r.Type is not (DnsType.CNAME or Rrsig or Nsec)) is { } other)
            errors.Add(Error(cnames[0], file, $"CNAME at {other.Owner} beside other data ({DnsType.ToString(other.Type)} at {Where(other, cnames[0])}); a name with a CNAME can have no other records"));
        var dnames = records.Where(r => r.Type == DnsType.DNAME).ToList();
        foreach (var extra in dnames.Skip(1))
            errors.Add(Error(extra, file, $"second DNAME at {extra.Owner} (the first is at {Where(dnames[0], extra)}); a name can have only one DNAME"));
    }

    private static ZoneError Error(ResourceRecord record, string file, string message) =>
        record.Source.Line > 0 ? new ZoneError(record.Source.Where, record.Source.Line, message) : new ZoneError(file, 0, message);

    /// <summary>Where <paramref name="record"/> is, as seen from the error about <paramref name="reported"/>:
    /// "line 12" in the same file, else "file:line".</summary>
    private static string Where(ResourceRecord record, ResourceRecord reported)
    {
        if (record.Source.Line <= 0) return "an unknown line";
        return reported.Source.Where == record.Source.Where ? $"line {record.Source.Line}" : record.Source.ToString();
    }
}
