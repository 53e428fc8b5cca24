namespace GeoDns.Server.Admin;

/// <summary>A zone being served.</summary>
public sealed record ZoneView(string Origin, uint Serial, int Records, DateTimeOffset LoadedAt, string File);
