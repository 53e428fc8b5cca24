using GeoDns.Zones;

namespace GeoDns.Transfer;

/// <summary>One zone as served: the zone file as loaded, the zone answered (served SOA, dynamic records), and the version transferred.</summary>
public sealed record ServedZone(Zone File, Zone Answered, ZoneVersion Version);
