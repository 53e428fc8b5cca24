namespace GeoDns.Contracts;

/// <summary>Body of <c>PUT /v1/edges/{name}/drain</c>, optional as is its reason: why, for whoever looks later.</summary>
public sealed record DrainRequest(string? Reason = null);
