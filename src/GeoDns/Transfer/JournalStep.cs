using GeoDns.Updates;

namespace GeoDns.Transfer;

/// <summary>One step of a <see cref="JournalFile"/>: what an IXFR from its old SOA to its new SOA sends.</summary>
public sealed class JournalStep
{
    public StoredRecord FromSoa { get; set; } = null!;
    public StoredRecord ToSoa { get; set; } = null!;
    public List<StoredRecord> Removed { get; set; } = [];
    public List<StoredRecord> Added { get; set; } = [];

    /// <summary>In the step lines only: the content hash of the version the step leads to.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ContentHash { get; set; }
}
