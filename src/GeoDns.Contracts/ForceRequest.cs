namespace GeoDns.Contracts;

/// <summary>Body of <c>PUT /v1/edges/{name}/force</c>: <see cref="State"/> is "up" or "down"; <see cref="Reason"/> may be left out.</summary>
public sealed record ForceRequest(string State, string? Reason = null);
