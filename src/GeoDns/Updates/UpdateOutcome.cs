using GeoDns.Protocol;

namespace GeoDns.Updates;

/// <summary>The result of one UPDATE message: the rcode to answer, and the zone's new dynamic records when they changed.</summary>
public sealed record UpdateOutcome(byte Rcode, IReadOnlyList<ResourceRecord>? Dynamic, string Reason = "");
