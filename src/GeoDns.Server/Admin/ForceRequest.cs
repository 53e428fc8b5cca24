namespace GeoDns.Server.Admin;

/// <summary>Body of PUT /v1/edges/{name}/force: <see cref="State"/> is "up" or "down".</summary>
public sealed record ForceRequest(string State, string? Reason);
