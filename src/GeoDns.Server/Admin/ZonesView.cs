using GeoDns.Zones;

namespace GeoDns.Server.Admin;

/// <summary>The zones served, and the errors of the last reload (their zones keep their previous version).</summary>
public sealed record ZonesView(IReadOnlyList<ZoneView> Zones, IReadOnlyList<ZoneError> Errors);
