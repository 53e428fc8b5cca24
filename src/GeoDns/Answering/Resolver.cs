using GeoDns.Protocol;

namespace GeoDns.Answering;

/// <summary>
/// The authoritative lookup of RFC 1034 §4.3.2, with the refinements of RFC 2308 (negative
/// answers), RFC 4592 (wildcards), RFC 6672 (DNAME), RFC 8020 (empty non-terminals) and
/// RFC 8482 (ANY). Clear rather than fast: it runs when answers are pre-rendered, and at query
/// time only for names a DNAME rewrites.
/// </summary>
public sealed class Resolver(ZoneIndex index)
{
    /// <summary>Most CNAME/DNAME steps followed inside our zones before we hand the rest to the resolver.</summary>
    public const int MaxChain = 8;

    /// <param name="into">Filled and returned instead of a new resolution, when given (it is cleared first).</param>
    public Resolution Resolve(DnsName qname, ushort qtype, Resolution? into = null)
    {
        var result = into ?? new Resolution();
        result.Clear();
        var name = qname;
        for (var step = 0; step <= MaxChain; step++)
        {
            var node = index.FindClosest(name);
            if (node is null)
            {
                // Outside every zone: refuse the question, or end a chain that left our zones.
                if (step == 0) { result.Rcode = Rcode.Refused; result.Authoritative = false; }
                return result;
            }
            var exact = node.Name == name;
            if (node.Cut is { } cut && !(exact && node == cut && qtype == DnsType.DS))
            {
                Refer(result, cut, step == 0);
                return result;
            }
            if (node.Dname is not null || (!exact && node.Find(DnsType.DNAME) is not null))
            {
                var dnameNode = node.Dname ?? node;
                var dname = dnameNode.Find(DnsType.DNAME)!;
                var target = name.ReplaceSuffix(dnameNode.Name, RdataNames.Target(dname.Records[0])!);
                result.Answer.Add(dname);
                if (target is null) { result.Rcode = Rcode.YxDomain; return result; } // RFC 6672 §2.2
                result.Answer.Add(SynthesizedCname(name, target, dname.Ttl));
                name = target;
                continue;
            }
            var source = exact ? node : index.Wildcard(node);
            if (source is null)
            {
                result.Rcode = Rcode.NxDomain;
                result.Authority.Add(NegativeSoa(node));
                return result;
            }
            if (source.Pool is { } pool) result.Read(pool);
            var cname = source.Find(DnsType.CNAME);
            if (cname is not null && qtype != DnsType.CNAME)
            {
                result.Answer.Add(cname.WithOwner(name));
                name = RdataNames.Target(cname.Records[0])!;
                continue;
            }
            var answer = qtype == DnsType.ANY ? source.First() : source.Find(qtype);
            if (answer is null)
            {
                result.Authority.Add(NegativeSoa(node, source.Pool));
                return result;
            }
            result.Answer.Add(answer.WithOwner(name));
            AddAddresses(result, answer);
            return result;
        }
        return result; // a chain longer than MaxChain: give what we have, the resolver goes on from there
    }

    /// <summary>The referral to the delegation at <paramref name="cut"/>, as the first step of an answer.</summary>
    public Resolution Referral(ZoneNode cut)
    {
        var result = new Resolution();
        Refer(result, cut, first: true);
        return result;
    }

    /// <summary>NXDOMAIN for a name below <paramref name="closestEncloser"/> that no wildcard covers.</summary>
    public Resolution NameError(ZoneNode closestEncloser)
    {
        var result = new Resolution { Rcode = Rcode.NxDomain };
        result.Authority.Add(NegativeSoa(closestEncloser));
        return result;
    }

    private void Refer(Resolution result, ZoneNode cut, bool first)
    {
        var ns = cut.Find(DnsType.NS)!;
        result.Authority.Add(ns);
        result.Authoritative = !first; // a referral is not authoritative; an answer chained into one stays so
        result.AdditionalRequired = true;
        AddAddresses(result, ns);
    }

    /// <summary>Additional section processing (RFC 1034 §3.6.2, RFC 2782): addresses of NS, MX and SRV targets we hold.</summary>
    private void AddAddresses(Resolution result, RRset set)
    {
        if (set.Type is not (DnsType.NS or DnsType.MX or DnsType.SRV)) return;
        foreach (var record in set.Records)
        {
            if (RdataNames.Target(record) is not { } target || index.Find(target) is not { } node) continue;
            if (node.Pool is { } pool) result.Read(pool);
            foreach (var type in (ReadOnlySpan<ushort>)[DnsType.A, DnsType.AAAA])
                if (node.Find(type) is { } address && !result.Additional.Contains(address))
                    result.Additional.Add(address);
        }
    }

    /// <summary>
    /// RFC 2308 §5: the SOA of a negative answer carries TTL = min(SOA TTL, SOA MINIMUM), which resolvers
    /// cache the NODATA for. At a degraded pool (allDown=none answering, or no healthy edge of the family)
    /// no longer than its degraded TTL: the pool's answers come back with its edges, and so must resolvers.
    /// </summary>
    private RRset NegativeSoa(ZoneNode node, PoolSlot? pool = null)
    {
        var soa = index.Find(node.Zone.Origin)!.Find(DnsType.SOA)!;
        var data = soa.Records[0].Data;
        var minimum = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(data.Length - 4));
        var ttl = Math.Min(soa.Ttl, minimum);
        if (pool?.Current?.Route.Ttl is { Degraded: true } degraded) ttl = Math.Min(ttl, degraded.Seconds);
        // Every negative answer of a zone carries the same SOA: made once, not once per name and type of a build.
        if (_negative is { } last && ReferenceEquals(last.Soa, soa) && last.Set.Ttl == ttl) return last.Set;
        var set = new RRset(soa.Owner, DnsType.SOA, ttl, soa.Records) { Serial = soa.Serial };
        _negative = new NegativeSoaCache(soa, set);
        return set;
    }

    /// <summary>The last negative SOA made, swapped whole (queries and a build may share this resolver).</summary>
    private volatile NegativeSoaCache? _negative;

    private sealed record NegativeSoaCache(RRset Soa, RRset Set);

    private static RRset SynthesizedCname(DnsName owner, DnsName target, uint ttl) =>
        new(owner, DnsType.CNAME, ttl, [new ResourceRecord(owner, DnsType.CNAME, ttl, target.Wire, new RecordSource("synthesized from DNAME"))]);
}
