namespace GeoDns.Sidecar.Reports;

/// <summary>
/// The pool's emergency switch on one nameserver, as <c>status</c> shows it: <see cref="On"/> null when not known (it
/// did not answer, or has no such pool or is older than the switch: <see cref="Error"/> says which).
/// </summary>
public sealed record EmergencyReport(string Nameserver, bool? On, DateTimeOffset? Since, string? Reason, IReadOnlyList<string> Records, string? Error);
