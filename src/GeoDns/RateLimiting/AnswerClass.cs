namespace GeoDns.RateLimiting;

/// <summary>
/// What kind of reply is being limited. Replies of different kinds draw on different buckets, so a
/// flood of one kind toward a victim does not starve that victim's other answers (as in Knot, NSD and BIND RRL).
/// </summary>
public enum AnswerClass : byte
{
    /// <summary>Records in the answer section: one bucket per answer (name and type; one for all names a wildcard answers).</summary>
    Positive,
    /// <summary>The name exists but not the type (NODATA): one bucket per prepared reply.</summary>
    Nodata,
    /// <summary>NXDOMAIN: one bucket per zone, so random names under it share the bucket.</summary>
    Nxdomain,
    /// <summary>A delegation to a child zone: one bucket per zone cut.</summary>
    Referral,
    /// <summary>REFUSED, FORMERR, NOTIMP, BADVERS, BADCOOKIE...: one bucket per client prefix.</summary>
    Error,
}
