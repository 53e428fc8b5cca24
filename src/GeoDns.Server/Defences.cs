using GeoDns.Answering;
using GeoDns.Cookies;
using GeoDns.RateLimiting;
using Microsoft.Extensions.Logging;

namespace GeoDns.Server;

/// <summary>
/// Response rate limiting and DNS Cookies as the config says, at start and at every reload. Each
/// section is applied on its own: a bad value is reported with its key and that section's last good
/// settings keep serving. What is unchanged is kept: the RRL bucket table (so a flood being limited
/// stays limited), its counters, and the cookie secret (so resolvers' cookies stay valid).
/// </summary>
public sealed class Defences(Responder responder, string dataDirectory, TimeProvider time, ILoggerFactory logs) : IDisposable
{
    private readonly ILogger _log = logs.CreateLogger<Defences>();
    // Kept while RRL is off, so turning it on again continues its counters (and /metrics never goes backwards).
    private RateLimiter? _limiter;
    private DnsCookieOptions? _cookies;
    private readonly Lock _applying = new(); // the config watcher and SIGHUP may reload at once

    /// <summary>The problems of the last <see cref="Apply"/>, each naming its key; empty when everything was applied.</summary>
    public IReadOnlyList<string> Errors { get; private set; } = [];

    /// <summary>The settings in force, replaced whole by each <see cref="Apply"/>: what the admin shows of the defences.</summary>
    public DefencePolicy Policy { get; private set; } = DefencePolicy.Off;

    /// <summary>The limiter answering now; null while <c>rrl.enabled</c> is false.</summary>
    public RateLimiter? RateLimiter => responder.RateLimiter;

    /// <summary>The cookie jar answering now; null while <c>cookies.enabled</c> is false.</summary>
    public CookieJar? Cookies => responder.Cookies;

    /// <summary>Puts <paramref name="rrl"/> and <paramref name="cookies"/> in force where valid; returns the problems (also in <see cref="Errors"/>).</summary>
    public IReadOnlyList<string> Apply(RateLimitOptions rrl, DnsCookieOptions cookies)
    {
        lock (_applying)
        {
            var errors = new List<string>();
            ApplyRrl(rrl, errors);
            ApplyCookies(cookies, errors);
            Policy = new DefencePolicy(responder.RateLimiter?.Options, responder.Cookies is null ? null : _cookies);
            return Errors = errors;
        }
    }

    private void ApplyRrl(RateLimitOptions options, List<string> errors)
    {
        if (options.Validate() is { Count: > 0 } invalid)
        {
            errors.AddRange(invalid);
            return;
        }
        if (!options.Enabled)
        {
            if (responder.RateLimiter is not null) _log.LogWarning("RRL turned off: UDP replies are no longer rate limited");
            responder.RateLimiter = null;
            return;
        }
        if (_limiter is null) _limiter = new RateLimiter(options, time, logs.CreateLogger<RateLimiter>());
        else if (!Same(_limiter.Options, options))
        {
            _limiter.Reconfigure(options);
            _log.LogInformation("RRL reconfigured: {Rate}/s per /{V4} (IPv4) and /{V6} (IPv6), slip {Slip}{LogOnly}, {Buckets} buckets", options.ResponsesPerSecond,
                options.Ipv4PrefixLength, options.Ipv6PrefixLength, options.Slip, options.LogOnly ? ", log only" : "", _limiter.Capacity);
        }
        responder.RateLimiter = _limiter;
    }

    private void ApplyCookies(DnsCookieOptions options, List<string> errors)
    {
        if (options.Validate() is { Count: > 0 } invalid)
        {
            errors.AddRange(invalid);
            return;
        }
        var jar = responder.Cookies;
        if (!options.Enabled)
        {
            responder.Cookies = null;
            jar?.Dispose();
            _cookies = options;
            return;
        }
        if (jar is not null && _cookies is { } running && running.SecretFile == options.SecretFile)
        {
            jar.RotateEvery = options.RotateEvery; // same secret file: the secret stays
            _cookies = options;
            return;
        }
        // Another secret file (or cookies turned on): open it first, so a file that cannot be read keeps the jar in use.
        var opened = CookieJar.Open(options, dataDirectory, time, logs.CreateLogger<CookieJar>(), out var error);
        if (opened is null)
        {
            errors.Add($"cookies.secretFile: {error}");
            return;
        }
        responder.Cookies = opened;
        jar?.Dispose();
        _cookies = options;
    }

    private static bool Same(RateLimitOptions a, RateLimitOptions b) =>
        System.Text.Json.JsonSerializer.Serialize(a) == System.Text.Json.JsonSerializer.Serialize(b);

    public void Dispose()
    {
        responder.Cookies?.Dispose();
        responder.Cookies = null;
    }
}
