namespace GeoDns.Server.Admin;

/// <summary>
/// Whether the admin endpoint is listening, and what binding it has cost: shown in the log, on /healthz and in /metrics.
/// Its address may not exist yet at start (a WireGuard tunnel that comes up later), and DNS is served meanwhile.
/// </summary>
public sealed class AdminBinding
{
    private readonly Lock _gate = new();

    /// <summary>The endpoint's base address once it listens (its real port when configured with 0); null until then.</summary>
    public Uri? Listening { get; private set; }

    public int Failures { get; private set; }

    /// <summary>Why the last attempt failed ("10.8.0.1:8053: Cannot assign requested address"); null before any failure.</summary>
    public string? LastError { get; private set; }

    public void Bound(Uri address)
    {
        lock (_gate) Listening = address;
    }

    /// <summary>Counts a failed attempt; true for the first one (the others are logged less often).</summary>
    public bool Failed(string error)
    {
        lock (_gate)
        {
            LastError = error;
            return ++Failures == 1;
        }
    }
}
