namespace GeoDns.Contracts;

/// <summary>An edge of a pool (<c>GET /v1/edges</c>): where it is, its addresses' health, the operator's override, and whether answers hold it now.</summary>
/// <param name="Source">"config" (the config file) or "api" (added through the admin endpoint).</param>
public sealed record EdgeView(
    string Pool,
    string Name,
    string Source,
    bool InAnswers,
    bool Drained,
    EdgeState? Forced,
    string? OverrideReason,
    DateTimeOffset? OverrideChanged,
    string? Country,
    double? Latitude,
    double? Longitude,
    double Weight,
    IReadOnlyList<AddressView> Addresses);
