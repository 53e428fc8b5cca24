namespace GeoDns.Contracts;

/// <summary>Body of <c>PUT /v1/pools/{pool}/emergency</c>, optional as is its reason: why, for whoever looks later.</summary>
public sealed record EmergencyRequest(string? Reason = null);
