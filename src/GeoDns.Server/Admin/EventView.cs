using System.Text.Json.Serialization;
using GeoDns.Health;

namespace GeoDns.Server.Admin;

/// <summary>
/// An event: a health transition of one probe target (<see cref="From"/> and <see cref="To"/>, with the edges that use
/// that target now), or a pool's emergency switch turned on or off (<see cref="Emergency"/>, the pool as the target).
/// The members that do not apply to its kind are left out of the reply.
/// </summary>
public sealed record EventView(string Target, IReadOnlyList<string> Edges,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HealthState? From,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HealthState? To,
    string Reason, double? LatencyMs, DateTimeOffset At)
{
    /// <summary>"on" or "off" for a pool's emergency switch; left out of a health transition.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Emergency { get; init; }
}
