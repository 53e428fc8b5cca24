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

    /// <param name="pools">The pooled names (the config's <c>pools[].name</c>): their answers are the pools', never an update's.</param>
    public static UpdateOutcome Apply(MessageReader update, DnsName origin, IReadOnlyList<ResourceRecord> fileRecords,
        IReadOnlyList<ResourceRecord> dynamic, DnsName key, IReadOnlyList<UpdatePolicy> policies, UpdateLimits limits, IReadOnlyCollection<DnsName> pools)
    {
        if (update.QuestionType != DnsType.SOA || update.QuestionClass != ClassIn) return Fail(Rcode.FormErr, "the zone section is not one SOA IN");
        if (Prerequisites(update.Answers, origin, fileRecords.Concat(dynamic).ToLookup(x => x.Owner)) is { } failed) return failed;

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
            // §3.4.1.2 checks the form of what is added: RDATA that does not parse as its type would be served, and
            // sent by IXFR to secondaries that reject the whole transfer for it.
            if (r.Class == ClassIn && RdataLayout.Problem(r.Type, r.Data) is { } problem)
                return Fail(Rcode.FormErr, $"update record {r.Owner} {DnsType.ToString(r.Type)}: {problem}");
            if (!policies.Any(p => p.Allows(key, origin, r.Owner, r.Type))) return Fail(Rcode.Refused, $"key {key} may not change {r.Owner} {DnsType.ToString(r.Type)}");
            if (r.Class == ClassIn && Redirects(r, origin, pools) is { } reason) return Fail(Rcode.Refused, reason);
        }

        var draft = new DynamicDraft(fileRecords, dynamic);
        foreach (var r in update.Authorities)
        {
            if (r.Class == ClassIn) draft.Add(r);
            else if (r.Class == ClassAny)
                draft.Remove(r.Owner, d => r.Type == DnsType.ANY ? policies.Any(p => p.Allows(key, origin, d.Owner, d.Type)) : d.Type == r.Type);
            else draft.Remove(r.Owner, d => d.Type == r.Type && d.Data.AsSpan().SequenceEqual(r.Data));
        }
        if (!draft.Changed) return new UpdateOutcome(Rcode.NoError, null);
        var next = draft.ToList();
        if (OverLimit(next, dynamic, limits) is { } over) return Fail(Rcode.Refused, over);
        var (_, errors) = ZoneValidator.Validate(origin, fileRecords.Concat(next), "dynamic update");
        if (errors.Count > 0) return Fail(Rcode.Refused, errors[0].Message);
        return new UpdateOutcome(Rcode.NoError, next);
    }

    /// <summary>
    /// An NS, CNAME or DNAME at the apex, or at or above a pooled name, would take the zone or the pool from us
    /// (a delegation or an alias answers instead of the pool's edges, RFC 1034 §4.3.2, RFC 6672 §3.2): whatever the policy says, never by update.
    /// </summary>
    private static string? Redirects(WireRecord r, DnsName origin, IReadOnlyCollection<DnsName> pools)
    {
        if (r.Type is not (DnsType.NS or DnsType.CNAME or DnsType.DNAME)) return null;
        var type = DnsType.ToString(r.Type);
        if (r.Owner == origin) return $"{type} at the zone apex {origin} is never changed by update";
        foreach (var pool in pools)
            if (pool.IsAtOrBelow(r.Owner)) return $"{type} at {r.Owner} would take the pool {pool} from its edges";
        return null;
    }

    private static string? OverLimit(List<ResourceRecord> next, IReadOnlyList<ResourceRecord> dynamic, UpdateLimits limits)
    {
        // Only growth is refused: an UPDATE that shrinks an over-cap zone (after the cap was lowered) goes through.
        if (next.Count > limits.Records && next.Count > dynamic.Count)
            return $"the zone would hold {next.Count} dynamic records, above exchange.maxDynamicRecords ({limits.Records})";
        long bytes = next.Sum(UpdateLimits.Size), before = dynamic.Sum(UpdateLimits.Size);
        if (bytes > limits.Bytes && bytes > before)
            return $"the zone's dynamic records would take {bytes} bytes, above exchange.maxDynamicBytes ({limits.Bytes})";
        return null;
    }

    private static UpdateOutcome? Prerequisites(IReadOnlyList<WireRecord> prerequisites, DnsName origin, ILookup<DnsName, ResourceRecord> served)
    {
        var valueSets = new Dictionary<(DnsName, ushort), List<byte[]>>();
        foreach (var r in prerequisites)
        {
            if (r.Ttl != 0) return Fail(Rcode.FormErr, "a prerequisite has a TTL");
            if (!r.Owner.IsAtOrBelow(origin)) return Fail(Rcode.NotZone, $"{r.Owner} is outside {origin}");
            var atName = served[r.Owner];
            switch (r.Class)
            {
                case ClassAny when r.Data.Length == 0:
                    if (r.Type == DnsType.ANY ? !atName.Any() : !atName.Any(x => x.Type == r.Type))
                        return Fail(r.Type == DnsType.ANY ? Rcode.NxDomain : Rcode.NxRrset, $"prerequisite: {r.Owner} {DnsType.ToString(r.Type)} does not exist");
                    break;
                case ClassNone when r.Data.Length == 0:
                    if (r.Type == DnsType.ANY ? atName.Any() : atName.Any(x => x.Type == r.Type))
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
            var actual = served[name].Where(x => x.Type == type).Select(x => Convert.ToHexString(x.Data)).ToHashSet();
            if (!actual.SetEquals(values.Select(Convert.ToHexString))) return Fail(Rcode.NxRrset, $"prerequisite: {name} {DnsType.ToString(type)} differs");
        }
        return null;
    }

    private static UpdateOutcome Fail(byte rcode, string reason) => new(rcode, null, reason);
}
