using System.Text.Json.Serialization;

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
    IReadOnlyList<AddressView> Addresses)
{
    /// <summary>
    /// <c>GET /v1/edges</c> only: the countries whose clients get this edge in their answer now, continent → ISO codes
    /// (<c>{"EU": ["AT", "DE"], "AF": ["EG"]}</c>; empty: none). Left out of the other replies, and null from a server
    /// that predates it.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? AnswersFor { get; init; }
}
