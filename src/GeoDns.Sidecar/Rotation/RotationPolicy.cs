namespace GeoDns.Sidecar.Rotation;

/// <summary>When to rotate, how long to wait at each step, and how hard to retry.</summary>
public sealed class RotationPolicy
{
    /// <summary>An edge Down this long on a majority of the nameservers (and on every one that answers) is rotated by <c>run</c>; zero turns that off.</summary>
    public TimeSpan DownFor { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a drained edge keeps serving before it is destroyed: resolvers and browsers still hold its address.</summary>
    public TimeSpan DrainPeriod { get; set; } = TimeSpan.FromHours(3);

    /// <summary>The pool's TTL: no resolver may still hand out the old address once the drain ends, so the drain is at least this plus <see cref="DrainMargin"/>.</summary>
    public TimeSpan PoolTtl { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan DrainMargin { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a new edge may take to be Up on every nameserver before the rotation stops.</summary>
    public TimeSpan UpTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Time between looks at the nameservers' edge states.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries of a failed hook or admin call, with exponential backoff from <see cref="RetryDelay"/>.</summary>
    public int Retries { get; set; } = 4;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>One admin call slower than this failed (and is retried).</summary>
    public TimeSpan AdminTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Rotations running at once; more wait (the daemon asks again later). With every edge down, this is what keeps it from buying a VPS per edge.</summary>
    public int MaxConcurrent { get; set; } = 1;

    /// <summary>Rotations begun in any 24 hours; beyond it, none begins until the oldest is a day old.</summary>
    public int DailyBudget { get; set; } = 4;

    /// <summary>A rotation that fails this many times after buying its VPS destroys it (journaled); the next try buys a fresh one.</summary>
    public int FailuresBeforeDestroy { get; set; } = 2;

    public IEnumerable<string> Problems()
    {
        if (MaxConcurrent < 1) yield return "rotation.maxConcurrent must be at least 1";
        if (DailyBudget < 1) yield return "rotation.dailyBudget must be at least 1";
        if (FailuresBeforeDestroy < 1) yield return "rotation.failuresBeforeDestroy must be at least 1";
        if (DrainPeriod < PoolTtl + DrainMargin)
            yield return $"rotation.drainPeriod {DrainPeriod} is shorter than rotation.poolTtl + rotation.drainMargin ({PoolTtl + DrainMargin}): resolvers would still hand out the destroyed edge";
        if (DownFor < TimeSpan.Zero) yield return "rotation.downFor must not be negative";
        if (UpTimeout <= TimeSpan.Zero) yield return "rotation.upTimeout must be above 0";
        if (PollInterval <= TimeSpan.Zero) yield return "rotation.pollInterval must be above 0";
        if (Retries is < 0 or > 20) yield return "rotation.retries must be 0 to 20";
        if (RetryDelay < TimeSpan.Zero || AdminTimeout <= TimeSpan.Zero) yield return "rotation.retryDelay and rotation.adminTimeout must be positive";
    }
}
