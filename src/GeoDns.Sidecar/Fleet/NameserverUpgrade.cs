namespace GeoDns.Sidecar.Fleet;

/// <summary>
/// One nameserver's upgrade, journaled before the new package is installed: while it stands, what the nameserver runs is
/// unknown (the hook may have failed half way, or the sidecar died before it came back), and <see cref="From"/> is what
/// to roll back to, whatever the record of its last provisioning says by then.
/// </summary>
public sealed record NameserverUpgrade(string From, string To, DateTimeOffset Started);
