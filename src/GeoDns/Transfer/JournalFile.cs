using GeoDns.Updates;

namespace GeoDns.Transfer;

/// <summary>The on-disk form of a <see cref="ZoneJournal"/>: the current version and the recent steps to it.</summary>
public sealed class JournalFile
{
    public uint Serial { get; set; }
    public string ContentHash { get; set; } = "";
    public StoredRecord? Soa { get; set; }
    public List<StoredRecord> Records { get; set; } = [];
    public List<JournalStep> Steps { get; set; } = [];
}
