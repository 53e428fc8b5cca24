namespace GeoDns.Contracts;

/// <summary>Body of <c>PUT /v1/edges/{name}/force</c>: <see cref="State"/> is "up" or "down".</summary>
public sealed record ForceRequest(string State, string? Reason);
