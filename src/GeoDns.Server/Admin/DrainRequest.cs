namespace GeoDns.Server.Admin;

/// <summary>Body of PUT /v1/edges/{name}/drain (optional): why, for whoever looks later.</summary>
public sealed record DrainRequest(string? Reason);
