using System.Collections;
using GeoDns.Protocol;

namespace GeoDns.Transfer;

/// <summary>A version's records as its zone's part and its pools' part, read as one list without copying the zone's.</summary>
internal sealed class JoinedRecords(IReadOnlyList<ResourceRecord> first, IReadOnlyList<ResourceRecord> second) : IReadOnlyList<ResourceRecord>
{
    public int Count => first.Count + second.Count;

    public ResourceRecord this[int index] => index < first.Count ? first[index] : second[index - first.Count];

    public IEnumerator<ResourceRecord> GetEnumerator() => first.Concat(second).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
