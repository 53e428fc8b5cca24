using GeoDns.Protocol;

namespace GeoDns.Updates;

/// <summary>
/// A zone's dynamic records as one UPDATE changes them, indexed by owner: each change looks only at the records of
/// its own name, so an UPDATE of m changes to a zone of n records costs n + m, not n × m. Names keep the order they
/// first appeared in, so the stored file changes only where the records did.
/// </summary>
public sealed class DynamicDraft
{
    private readonly List<DnsName> _owners = [];
    private readonly Dictionary<DnsName, List<ResourceRecord>> _byOwner = [];
    private readonly ILookup<DnsName, ResourceRecord> _file;

    public DynamicDraft(IReadOnlyList<ResourceRecord> fileRecords, IReadOnlyList<ResourceRecord> dynamic)
    {
        _file = fileRecords.ToLookup(r => r.Owner);
        foreach (var r in dynamic) At(r.Owner).Add(r);
    }

    /// <summary>True once a change made a difference.</summary>
    public bool Changed { get; private set; }

    /// <summary>RFC 2136 §3.4.2.2: a CNAME and other data never share a name; a record already there only takes the new TTL.</summary>
    public void Add(WireRecord r)
    {
        var mine = At(r.Owner);
        var atName = _file[r.Owner].Concat(mine);
        if (r.Type != DnsType.CNAME && atName.Any(x => x.Type == DnsType.CNAME)) return;
        if (r.Type == DnsType.CNAME && atName.Any(x => x.Type != DnsType.CNAME)) return;
        if (_file[r.Owner].Any(x => x.Type == r.Type && x.Data.AsSpan().SequenceEqual(r.Data))) return;
        var present = false;
        for (var i = 0; i < mine.Count; i++)
        {
            if (mine[i].Type != r.Type) continue;
            present |= mine[i].Data.AsSpan().SequenceEqual(r.Data);
            // RFC 2181 §5.2: one TTL per RRset, the newest wins.
            if (mine[i].Ttl != r.Ttl) (mine[i], Changed) = (mine[i] with { Ttl = r.Ttl }, true);
        }
        if (present) return;
        mine.Add(r.ToResourceRecord("dynamic update"));
        Changed = true;
    }

    /// <summary>Removes the records at <paramref name="owner"/> that <paramref name="match"/> (§3.4.2.3, §3.4.2.4).</summary>
    public void Remove(DnsName owner, Predicate<ResourceRecord> match)
    {
        if (_byOwner.TryGetValue(owner, out var records) && records.RemoveAll(match) > 0) Changed = true;
    }

    public List<ResourceRecord> ToList() => [.. _owners.SelectMany(o => _byOwner[o])];

    private List<ResourceRecord> At(DnsName owner)
    {
        if (!_byOwner.TryGetValue(owner, out var records))
        {
            _byOwner[owner] = records = [];
            _owners.Add(owner);
        }
        return records;
    }
}
