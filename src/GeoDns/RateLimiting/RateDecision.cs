namespace GeoDns.RateLimiting;

/// <summary>What to do with one UDP response.</summary>
public enum RateDecision : byte
{
    /// <summary>Within the rate (or exempt, or log-only): send the reply as it is.</summary>
    Send,
    /// <summary>Over the rate: send nothing.</summary>
    Drop,
    /// <summary>Over the rate, but this is the Nth: send a minimal TC=1 reply, so a real resolver retries over TCP.</summary>
    Slip,
}
