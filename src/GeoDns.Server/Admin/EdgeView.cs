using GeoDns.Health;

namespace GeoDns.Server.Admin;

/// <summary>An edge of a pool: where it is, its addresses' health, the operator's override, and whether answers hold it now.</summary>
/// <param name="Source">"config" (the config file) or "api" (added through the admin endpoint).</param>
public sealed record EdgeView(
    string Pool,
    string Name,
    string Source,
    bool InAnswers,
    bool Drained,
    HealthState? Forced,
    string? OverrideReason,
    DateTimeOffset? OverrideChanged,
    string? Country,
    double? Latitude,
    double? Longitude,
    double Weight,
    IReadOnlyList<AddressView> Addresses);
