namespace GeoDns.Server.Admin;

/// <summary><c>DELETE /v1/pools/{pool}/edges/{name}</c>: the edge removed and its pool.</summary>
public sealed record RemovedEdgeView(string Removed, string Pool);
