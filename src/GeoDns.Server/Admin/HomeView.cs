namespace GeoDns.Server.Admin;

/// <summary>
/// The home on <c>/healthz</c>: the last request with the admin token (null: none since the start), the seconds since
/// it (or since the start), and whether this nameserver reports the home silent (<c>alerts.homeSilentAfter</c>).
/// </summary>
public sealed record HomeView(DateTimeOffset? LastContact, double SilentSeconds, bool Silent);
