using GeoDns.Protocol;

namespace GeoDns.Transfer;

/// <summary>
/// Steps read back from disk (a journal's or a secondary copy's lines) replayed onto the records they follow. Each
/// record's places are found by hash, so a step costs its own records, not the zone's; the index is built only when
/// a first step comes.
/// </summary>
internal sealed class StepReplay(IReadOnlyList<ResourceRecord> start)
{
    private List<ResourceRecord?>? _records;
    private Dictionary<UInt128, Stack<int>>? _where;

    public void Apply(ZoneDelta step)
    {
        if (_records is null)
        {
            (_records, _where) = ([.. start], []);
            for (var i = 0; i < _records.Count; i++) Place(_records[i]!, i);
        }
        foreach (var r in step.Removed)
            if (_where!.TryGetValue(RecordHash.Of(r), out var places) && places.Count > 0) _records[places.Pop()] = null;
        foreach (var r in step.Added)
        {
            Place(r, _records.Count);
            _records.Add(r);
        }
    }

    /// <summary>The records after every step applied (the start, untouched, when none was).</summary>
    public IReadOnlyList<ResourceRecord> Records => _records is null ? start : [.. _records.OfType<ResourceRecord>()];

    private void Place(ResourceRecord r, int index)
    {
        var hash = RecordHash.Of(r);
        if (!_where!.TryGetValue(hash, out var places)) _where[hash] = places = new Stack<int>(1);
        places.Push(index);
    }
}
