using GeoDns.Answering;
using GeoDns.Cookies;
using GeoDns.RateLimiting;
using GeoDns.Server;
using GeoDns.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>RRL and cookie settings applied at start and on reload (the real responder, limiter and secret files).</summary>
public sealed class DefencesTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly Responder _responder = new();
    private readonly Defences _defences;

    public DefencesTests() => _defences = new Defences(_responder, _data.Path, new FakeTimeProvider(DateTimeOffset.UtcNow), NullLoggerFactory.Instance);

    public void Dispose()
    {
        _defences.Dispose();
        _data.Dispose();
    }

    [Fact]
    public void Apply_Defaults_RrlAndCookiesOn()
    {
        Assert.Empty(_defences.Apply(new RateLimitOptions(), new DnsCookieOptions()));

        Assert.Equal(200, _responder.RateLimiter!.Options.ResponsesPerSecond);
        Assert.NotNull(_responder.Cookies);
    }

    [Fact]
    public void Apply_RrlChanged_SameLimiterReconfigured_OffAndOnAgainKeepsIt()
    {
        _defences.Apply(new RateLimitOptions(), new DnsCookieOptions());
        var limiter = _responder.RateLimiter;

        _defences.Apply(new RateLimitOptions { ResponsesPerSecond = 50, Slip = 1 }, new DnsCookieOptions());
        Assert.Same(limiter, _responder.RateLimiter);
        Assert.Equal((50, 1), (limiter!.Options.ResponsesPerSecond, limiter.Options.Slip));

        _defences.Apply(new RateLimitOptions { Enabled = false }, new DnsCookieOptions());
        Assert.Null(_responder.RateLimiter);
        _defences.Apply(new RateLimitOptions { ResponsesPerSecond = 70 }, new DnsCookieOptions());
        Assert.Same(limiter, _responder.RateLimiter); // its counters carry on: /metrics never goes backwards
        Assert.Equal(70, limiter.Options.ResponsesPerSecond);
    }

    [Fact]
    public void Apply_BadRrlValue_ErrorNamesTheKey_LastGoodKept_CookiesStillApplied()
    {
        _defences.Apply(new RateLimitOptions { ResponsesPerSecond = 50 }, new DnsCookieOptions());

        var errors = _defences.Apply(new RateLimitOptions { ResponsesPerSecond = 10, Ipv4PrefixLength = 40 }, new DnsCookieOptions { Enabled = false });

        Assert.StartsWith("rrl.ipv4PrefixLength:", Assert.Single(errors));
        Assert.Equal(errors, _defences.Errors);
        Assert.Equal(50, _responder.RateLimiter!.Options.ResponsesPerSecond);
        Assert.Null(_responder.Cookies);
    }

    [Fact]
    public void Apply_RotateEveryChanged_SameJarAndSecret()
    {
        _defences.Apply(new RateLimitOptions(), new DnsCookieOptions());
        var jar = _responder.Cookies!;
        var secret = jar.Secrets.Current;

        Assert.Empty(_defences.Apply(new RateLimitOptions(), new DnsCookieOptions { RotateEvery = TimeSpan.FromHours(6) }));

        Assert.Same(jar, _responder.Cookies);
        Assert.Equal(secret, jar.Secrets.Current);
        Assert.Equal(TimeSpan.FromHours(6), jar.RotateEvery);
    }

    [Fact]
    public void Apply_SecretFileChanged_ItsSecretUsed_UnreadableFileKeepsTheJarInUse()
    {
        _defences.Apply(new RateLimitOptions(), new DnsCookieOptions());
        var shared = _data.Write("shared-secret", "e5e973e5a6b2a43f48e7dc849e37bfcf\n");

        Assert.Empty(_defences.Apply(new RateLimitOptions(), new DnsCookieOptions { SecretFile = shared }));
        Assert.Equal("e5e973e5a6b2a43f48e7dc849e37bfcf", Convert.ToHexString(_responder.Cookies!.Secrets.Current).ToLowerInvariant());

        var broken = _data.Write("broken-secret", "not hex\n");
        var errors = _defences.Apply(new RateLimitOptions(), new DnsCookieOptions { SecretFile = broken });
        Assert.StartsWith($"cookies.secretFile: {broken}:1:", Assert.Single(errors));
        Assert.Equal(shared, _responder.Cookies!.Path);

        Assert.StartsWith("cookies.rotateEvery:", Assert.Single(_defences.Apply(new RateLimitOptions(), new DnsCookieOptions { RotateEvery = TimeSpan.FromMinutes(5) })));
        Assert.Equal(shared, _responder.Cookies!.Path);
    }
}
