using GeoDns.Zones;

namespace GeoDns.Server.Admin;

/// <summary>
/// <c>POST /v1/zones/reload</c> when a file failed (422): the zones served now (a failed file's zone in its previous
/// version) and each error with its file and line.
/// </summary>
public sealed record ReloadFailureView(string Error, IReadOnlyList<ZoneView> Zones, IReadOnlyList<ZoneError> Errors);
