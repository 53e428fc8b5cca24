using GeoDns.Updates;

namespace GeoDns.Transfer;

/// <summary>One step of a <see cref="JournalFile"/>: what an IXFR from its old SOA to its new SOA sends.</summary>
public sealed class JournalStep
{
    public StoredRecord FromSoa { get; set; } = null!;
    public StoredRecord ToSoa { get; set; } = null!;
    public List<StoredRecord> Removed { get; set; } = [];
    public List<StoredRecord> Added { get; set; } = [];
}
