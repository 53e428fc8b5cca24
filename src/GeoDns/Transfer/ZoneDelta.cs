using GeoDns.Protocol;

namespace GeoDns.Transfer;

/// <summary>The step from one version to the next, as IXFR sends it (RFC 1995 §4): the old SOA, what went, the new SOA, what came.</summary>
public sealed record ZoneDelta(ResourceRecord FromSoa, IReadOnlyList<ResourceRecord> Removed, ResourceRecord ToSoa, IReadOnlyList<ResourceRecord> Added);
