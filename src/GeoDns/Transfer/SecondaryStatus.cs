namespace GeoDns.Transfer;

/// <summary>
/// How a secondary zone's refreshing goes, for <c>/v1/zones</c> and <c>/metrics</c>: consecutive failures (0 after a
/// success), the last error and when, the last success, and when the next attempt is due.
/// </summary>
public sealed record SecondaryStatus
{
    public int Failures { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? LastErrorAt { get; init; }
    public DateTimeOffset? LastSuccessAt { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Transfers that arrived and were refused for breaking the zone's rules or a cap (since start).</summary>
    public long Rejected { get; init; }

    /// <summary>What was wrong with the stored copy at start (moved aside, or unreadable); null when it loaded or there was none.</summary>
    public string? LoadDamage { get; init; }
}
