namespace GeoDns.Server.Admin;

/// <summary>Where the geo database placed a client. <see cref="LookedUp"/> is the address looked up (the ECS subnet, truncated, or the client's own).</summary>
/// <param name="Prefix">The matched database network's prefix length.</param>
public sealed record LocationView(string LookedUp, string Source, bool Known, string? Country, string? Continent, double? Latitude, double? Longitude, int Prefix);
