using GeoDns.Protocol;

namespace GeoDns.Transfer;

/// <summary>One served version of a zone: its SOA (with the served serial) and every other record a transfer carries.</summary>
public sealed record ZoneVersion(uint Serial, ResourceRecord Soa, IReadOnlyList<ResourceRecord> Records, string ContentHash);
