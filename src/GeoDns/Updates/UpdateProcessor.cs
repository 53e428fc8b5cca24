using GeoDns.Protocol;
using GeoDns.Zones;

namespace GeoDns.Updates;

/// <summary>
/// Applies one RFC 2136 UPDATE to a zone, all or nothing (§3.7): prerequisites (§3.2) against the served
/// zone, then the update prescan with the key's policy (§3.4.1), then the changes (§3.4.2) to the zone's
/// dynamic records only: records from the zone file are the user's and are never deleted by an update.
/// </summary>
public static class UpdateProcessor
{
    private const ushort ClassIn = 1, ClassNone = 254, ClassAny = 255;

    public static UpdateOutcome Apply(MessageReader update, DnsName origin, IReadOnlyList<ResourceRecord> fileRecords,
        IReadOnlyList<ResourceRecord> dynamic, DnsName key, IReadOnlyList<UpdatePolicy> policies)
    {
        if (update.QuestionType != DnsType.SOA || update.QuestionClass != ClassIn) return Fail(Rcode.FormErr, "the zone section is not one SOA IN");
        var served = fileRecords.Concat(dynamic).ToList();
        if (Prerequisites(update.Answers, origin, served) is { } failed) return failed;

        foreach (var r in update.Authorities)
        {
            if (!r.Owner.IsAtOrBelow(origin)) return Fail(Rcode.NotZone, $"{r.Owner} is outside {origin}");
            var meta = r.Type is DnsType.ANY or DnsType.AXFR or DnsType.IXFR or DnsType.OPT or 250 or 253 or 254;
            var valid = r.Class switch
            {
                ClassIn => !meta,
                ClassAny => r.Ttl == 0 && r.Data.Length == 0 && (r.Type == DnsType.ANY || !meta),
                ClassNone => r.Ttl == 0 && !meta,
                _ => false,
            };
            if (!valid) return Fail(Rcode.FormErr, $"update record {r.Owner} type {r.Type} class {r.Class} is malformed");
            if (!policies.Any(p => p.Allows(key, origin, r.Owner, r.Type))) return Fail(Rcode.Refused, $"key {key} may not change {r.Owner} {DnsType.ToString(r.Type)}");
        }

        var next = dynamic.ToList();
        foreach (var r in update.Authorities)
        {
            if (r.Class == ClassIn) Add(next, fileRecords, r);
            else if (r.Class == ClassAny)
                next.RemoveAll(d => d.Owner == r.Owner && (r.Type == DnsType.ANY ? policies.Any(p => p.Allows(key, origin, d.Owner, d.Type)) : d.Type == r.Type));
            else next.RemoveAll(d => d.Owner == r.Owner && d.Type == r.Type && d.Data.AsSpan().SequenceEqual(r.Data));
        }
        if (next.Count == dynamic.Count && next.Zip(dynamic).All(p => ReferenceEquals(p.First, p.Second))) return new UpdateOutcome(Rcode.NoError, null);
        var (_, errors) = ZoneValidator.Validate(origin, fileRecords.Concat(next), "dynamic update");
        if (errors.Count > 0) return Fail(Rcode.Refused, errors[0].Message);
        return new UpdateOutcome(Rcode.NoError, next);
    }

    /// <summary>§3.4.2.2: a CNAME and other data never share a name; an existing record only takes the new TTL.</summary>
    private static void Add(List<ResourceRecord> next, IReadOnlyList<ResourceRecord> fileRecords, WireRecord r)
    {
        var atName = fileRecords.Concat(next).Where(x => x.Owner == r.Owner).ToList();
        if (r.Type != DnsType.CNAME && atName.Any(x => x.Type == DnsType.CNAME)) return;
        if (r.Type == DnsType.CNAME && atName.Any(x => x.Type != DnsType.CNAME)) return;
        if (fileRecords.Any(x => x.Owner == r.Owner && x.Type == r.Type && x.Data.AsSpan().SequenceEqual(r.Data))) return;
        // RFC 2181 §5.2: one TTL per RRset, the newest wins.
        for (var i = 0; i < next.Count; i++)
            if (next[i].Owner == r.Owner && next[i].Type == r.Type) next[i] = next[i] with { Ttl = r.Ttl };
        next.RemoveAll(x => x.Owner == r.Owner && x.Type == r.Type && x.Data.AsSpan().SequenceEqual(r.Data));
        next.Add(r.ToResourceRecord("dynamic update"));
    }

    private static UpdateOutcome? Prerequisites(IReadOnlyList<WireRecord> prerequisites, DnsName origin, List<ResourceRecord> served)
    {
        var valueSets = new Dictionary<(DnsName, ushort), List<byte[]>>();
        foreach (var r in prerequisites)
        {
            if (r.Ttl != 0) return Fail(Rcode.FormErr, "a prerequisite has a TTL");
            if (!r.Owner.IsAtOrBelow(origin)) return Fail(Rcode.NotZone, $"{r.Owner} is outside {origin}");
            var atName = served.Where(x => x.Owner == r.Owner).ToList();
            switch (r.Class)
            {
                case ClassAny when r.Data.Length == 0:
                    if (r.Type == DnsType.ANY ? atName.Count == 0 : !atName.Any(x => x.Type == r.Type))
                        return Fail(r.Type == DnsType.ANY ? Rcode.NxDomain : Rcode.NxRrset, $"prerequisite: {r.Owner} {DnsType.ToString(r.Type)} does not exist");
                    break;
                case ClassNone when r.Data.Length == 0:
                    if (r.Type == DnsType.ANY ? atName.Count > 0 : atName.Any(x => x.Type == r.Type))
                        return Fail(r.Type == DnsType.ANY ? Rcode.YxDomain : Rcode.YxRrset, $"prerequisite: {r.Owner} {DnsType.ToString(r.Type)} exists");
                    break;
                case ClassIn:
                    if (!valueSets.TryGetValue((r.Owner, r.Type), out var values)) valueSets[(r.Owner, r.Type)] = values = [];
                    values.Add(r.Data);
                    break;
                default:
                    return Fail(Rcode.FormErr, "a prerequisite has an unknown class");
            }
        }
        // §3.2.3: an RRset must exist with exactly these values.
        foreach (var ((name, type), values) in valueSets)
        {
            var actual = served.Where(x => x.Owner == name && x.Type == type).Select(x => Convert.ToHexString(x.Data)).ToHashSet();
            if (!actual.SetEquals(values.Select(Convert.ToHexString))) return Fail(Rcode.NxRrset, $"prerequisite: {name} {DnsType.ToString(type)} differs");
        }
        return null;
    }

    private static UpdateOutcome Fail(byte rcode, string reason) => new(rcode, null, reason);
}
