namespace GeoDns.Updates;

/// <summary>The on-disk form of one zone's dynamic records.</summary>
public sealed record DynamicZoneFile(string Origin, List<StoredRecord> Records);
