namespace GeoDns.Server.Admin;

/// <summary><c>DELETE /v1/zones/{zone}/dynamic</c>: how many dynamic records were deleted.</summary>
public sealed record DeletedRecordsView(int Deleted);
