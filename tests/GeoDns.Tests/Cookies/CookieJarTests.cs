using GeoDns.Cookies;
using GeoDns.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Tests.Cookies;

public sealed class CookieJarTests : IDisposable
{
    private static readonly byte[] Client = [192, 0, 2, 1];
    private static readonly byte[] ClientCookie = [1, 2, 3, 4, 5, 6, 7, 8];
    private readonly TempDirectory _data = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    public void Dispose() => _data.Dispose();

    private CookieJar Open(DnsCookieOptions? options = null) =>
        CookieJar.Open(options ?? new DnsCookieOptions(), _data.Path, _time, NullLogger.Instance, out var error) ?? throw new InvalidOperationException(error);

    private byte[] Cookie(CookieJar jar)
    {
        var cookie = new byte[24];
        jar.Make(ClientCookie, Client, cookie);
        return cookie;
    }

    [Fact]
    public void Open_FirstStart_CreatesTheSecretReadableByTheOwnerOnly()
    {
        using var jar = Open();

        var path = Path.Combine(_data.Path, CookieJar.DefaultFileName);
        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Open_Restart_SameSecretSoCookiesStayValid()
    {
        byte[] cookie;
        using (var first = Open()) cookie = Cookie(first);

        using var second = Open();

        Assert.Equal(CookieCheck.Valid, second.Check(cookie, Client));
    }

    [Fact]
    public void Check_OptionLengths_ClassifiedPerRfc7873()
    {
        using var jar = Open();

        Assert.Equal(CookieCheck.ClientOnly, jar.Check(new byte[8], Client));
        Assert.Equal(CookieCheck.Malformed, jar.Check(new byte[7], Client));
        Assert.Equal(CookieCheck.Malformed, jar.Check(new byte[12], Client));
        Assert.Equal(CookieCheck.Malformed, jar.Check(new byte[41], Client));
        Assert.Equal(CookieCheck.Invalid, jar.Check(new byte[24], Client));
        Assert.Equal(CookieCheck.Invalid, jar.Check(new byte[40], Client)); // a server cookie of another make
        Assert.Equal(CookieCheck.Valid, jar.Check(Cookie(jar), Client));
        Assert.Equal(CookieCheck.Invalid, jar.Check(Cookie(jar), [192, 0, 2, 2]));
    }

    [Fact]
    public void Refresh_RotationDue_NewSecretMakesOldStillVerifies()
    {
        var options = new DnsCookieOptions { RotateEvery = TimeSpan.FromHours(2) };
        using var jar = Open(options);
        var secret = jar.Secrets.Current;

        _time.Advance(TimeSpan.FromHours(2) - TimeSpan.FromMinutes(10));
        jar.Refresh();
        Assert.Equal(secret, jar.Secrets.Current);
        var before = Cookie(jar); // handed out just before the rotation
        _time.Advance(TimeSpan.FromMinutes(11));
        jar.Refresh();

        Assert.NotEqual(secret, jar.Secrets.Current);
        Assert.Equal(secret, jar.Secrets.All[1]);
        Assert.Equal(CookieCheck.Valid, jar.Check(before, Client));
        // The rotated file is what a restart reads.
        using var restarted = Open(options);
        Assert.Equal(jar.Secrets.Current, restarted.Secrets.Current);
        Assert.Equal(CookieCheck.Valid, restarted.Check(before, Client));
    }

    [Fact]
    public void Refresh_SharedFileChanged_Reloaded_BrokenKeepsTheLastGood()
    {
        var shared = _data.Write("shared-secret", "e5e973e5a6b2a43f48e7dc849e37bfcf\n");
        using var jar = Open(new DnsCookieOptions { SecretFile = shared });
        Assert.Equal("e5e973e5a6b2a43f48e7dc849e37bfcf", Convert.ToHexString(jar.Secrets.Current).ToLowerInvariant());

        File.WriteAllText(shared, "# rolled\n445536bcd2513298075a5d379663c962\ne5e973e5a6b2a43f48e7dc849e37bfcf\n");
        File.SetLastWriteTimeUtc(shared, DateTime.UtcNow.AddSeconds(5));
        jar.Refresh();
        Assert.Equal("445536bcd2513298075a5d379663c962", Convert.ToHexString(jar.Secrets.Current).ToLowerInvariant());
        Assert.Equal(2, jar.Secrets.All.Count);

        File.WriteAllText(shared, "not hex\n");
        File.SetLastWriteTimeUtc(shared, DateTime.UtcNow.AddSeconds(10));
        jar.Refresh();
        Assert.Equal("445536bcd2513298075a5d379663c962", Convert.ToHexString(jar.Secrets.Current).ToLowerInvariant());
    }

    [Fact]
    public void Open_BadSecretFile_ErrorNamesFileAndLine()
    {
        var path = _data.Write("bad", "# comment\n0123\n");

        Assert.Null(CookieJar.Open(new DnsCookieOptions { SecretFile = path }, _data.Path, _time, NullLogger.Instance, out var error));
        Assert.Equal($"{path}:2: a cookie secret is 32 hex digits", error);
    }
}
