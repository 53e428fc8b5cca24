using GeoDns.Health;

namespace GeoDns.Server.Admin;

/// <summary>A health transition of one probe target, with the edges that use that target now.</summary>
public sealed record EventView(string Target, IReadOnlyList<string> Edges, HealthState From, HealthState To, string Reason, double? LatencyMs, DateTimeOffset At);
