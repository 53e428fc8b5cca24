namespace GeoDns.Server.Alerts;

/// <summary>
/// When the home last reached this nameserver: the last admin request that carried the valid admin token (the
/// sidecar sends one every few seconds). Before the first, the silence counts from the start, so a home that lost
/// power while this nameserver restarted is still noticed.
/// </summary>
public sealed class HomeContact(TimeProvider time)
{
    private readonly Lock _lock = new();
    private long _since = time.GetTimestamp();
    private DateTimeOffset _sinceAt = time.GetUtcNow();
    private bool _reached;

    /// <summary>On every request with the token, with the silence it ended (since the previous one, or the start).</summary>
    public event Action<TimeSpan>? Reached;

    /// <summary>The last request with the token; null when none came since the start.</summary>
    public DateTimeOffset? LastContact
    {
        get
        {
            lock (_lock) return _reached ? _sinceAt : null;
        }
    }

    /// <summary>How long since the last request with the token, or since the start when none came.</summary>
    public TimeSpan Silence
    {
        get
        {
            lock (_lock) return time.GetElapsedTime(_since);
        }
    }

    /// <summary>Since when it has been silent: the last contact, or the start.</summary>
    public DateTimeOffset SilentSince
    {
        get
        {
            lock (_lock) return _sinceAt;
        }
    }

    /// <summary>A request with the valid admin token arrived.</summary>
    public void Heard()
    {
        TimeSpan silence;
        lock (_lock)
        {
            silence = time.GetElapsedTime(_since);
            (_since, _sinceAt, _reached) = (time.GetTimestamp(), time.GetUtcNow(), true);
        }
        Reached?.Invoke(silence);
    }
}
