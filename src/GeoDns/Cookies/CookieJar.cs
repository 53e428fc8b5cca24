using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace GeoDns.Cookies;

/// <summary>
/// Checks and makes server cookies with the current secrets, and keeps those secrets: in the data
/// directory (created 0600, rotated every <see cref="DnsCookieOptions.RotateEvery"/>, the old secret
/// kept for verifying), or in a file the operator shares between nameservers and rotates
/// (re-read when it changes). Either way the secret survives a restart, so resolvers' cookies do too.
/// The query path reads <see cref="_secrets"/> once and allocates nothing.
/// </summary>
public sealed partial class CookieJar : IDisposable
{
    public const string DefaultFileName = "cookie-secret";
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(30);

    private readonly string _path;
    private readonly bool _owned;
    private TimeSpan _rotateEvery;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ITimer _timer;
    private volatile CookieSecrets _secrets;
    private DateTime _loadedWrite;

    private CookieJar(string path, bool owned, CookieSecrets secrets, DnsCookieOptions options, TimeProvider time, ILogger log)
    {
        (_path, _owned, _secrets, _rotateEvery, _time, _log) = (path, owned, secrets, options.RotateEvery, time, log);
        _loadedWrite = File.GetLastWriteTimeUtc(path);
        _timer = time.CreateTimer(_ => Refresh(), null, CheckEvery, CheckEvery);
    }

    public CookieSecrets Secrets => _secrets;

    /// <summary>The secret file in use: the data directory's, or the one the operator shares.</summary>
    public string Path => _path;

    /// <summary>How often our own secret is replaced; a reload may change it, keeping the secret (the next check applies it).</summary>
    public TimeSpan RotateEvery
    {
        get => _rotateEvery;
        set => _rotateEvery = value;
    }

    /// <summary>Opens the configured secret file, or the data directory's (creating it); null with <paramref name="error"/> naming the file.</summary>
    public static CookieJar? Open(DnsCookieOptions options, string dataDirectory, TimeProvider time, ILogger log, out string error)
    {
        var owned = string.IsNullOrEmpty(options.SecretFile);
        var path = owned ? System.IO.Path.Combine(dataDirectory, DefaultFileName) : options.SecretFile!;
        try
        {
            if (owned && !File.Exists(path))
            {
                Directory.CreateDirectory(dataDirectory);
                Write(path, new CookieSecrets([RandomNumberGenerator.GetBytes(CookieSecrets.SecretLength)], time.GetUtcNow()));
            }
            var secrets = CookieSecrets.Parse(File.ReadAllText(path), path, out error);
            return secrets is null ? null : new CookieJar(path, owned, secrets, options, time, log);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = GeoDns.Files.FileProblem.Describe(path, e);
            return null;
        }
    }

    /// <summary>Classifies the COOKIE option's data (RFC 7873 §5.2) sent from <paramref name="client"/>.</summary>
    public CookieCheck Check(ReadOnlySpan<byte> option, ReadOnlySpan<byte> client)
    {
        // §5.2.2: a client cookie is 8 bytes; a server cookie 8 to 32.
        if (option.Length == ServerCookie.ClientLength) return CookieCheck.ClientOnly;
        if (option.Length is < 16 or > 40) return CookieCheck.Malformed;
        var now = Now;
        var all = _secrets.All; // indexed, not enumerated: a foreach over the interface would box its enumerator
        for (var i = 0; i < all.Count; i++)
            if (ServerCookie.IsValid(all[i], option[..ServerCookie.ClientLength], option[ServerCookie.ClientLength..], client, now))
                return CookieCheck.Valid;
        return CookieCheck.Invalid;
    }

    /// <summary>Writes the reply's COOKIE data: the client cookie and a fresh server cookie (24 bytes).</summary>
    public void Make(ReadOnlySpan<byte> clientCookie, ReadOnlySpan<byte> client, Span<byte> destination)
    {
        clientCookie[..ServerCookie.ClientLength].CopyTo(destination);
        ServerCookie.Make(_secrets.Current, clientCookie[..ServerCookie.ClientLength], client, Now, destination[ServerCookie.ClientLength..]);
    }

    private uint Now => (uint)_time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Rotates our own secret when due; re-reads a shared file that changed. A broken file keeps the secrets in use.</summary>
    public void Refresh()
    {
        try
        {
            var written = File.GetLastWriteTimeUtc(_path);
            var now = _time.GetUtcNow();
            if (_owned && now - (_secrets.Since ?? written) >= _rotateEvery)
            {
                // RFC 9018 §5: the new secret makes cookies at once; the old one still verifies those already handed out.
                var rotated = new CookieSecrets([RandomNumberGenerator.GetBytes(CookieSecrets.SecretLength), _secrets.Current], now);
                Write(_path, rotated);
                _secrets = rotated;
                _loadedWrite = File.GetLastWriteTimeUtc(_path);
                Rotated(_log, _path);
            }
            else if (written != _loadedWrite)
            {
                var secrets = CookieSecrets.Parse(File.ReadAllText(_path), _path, out var error);
                _loadedWrite = written;
                if (secrets is null) NotReloaded(_log, error);
                else
                {
                    _secrets = secrets;
                    Reloaded(_log, _path, secrets.All.Count);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            NotReloaded(_log, $"{_path}: {e.Message}");
        }
    }

    /// <summary>Writes the secrets readable by the owner only (0600) and swaps the file in whole.</summary>
    private static void Write(string path, CookieSecrets secrets)
    {
        var temporary = path + ".new";
        File.Delete(temporary); // a leftover would keep its mode: UnixCreateMode applies only to a new file
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
            writer.Write("# DNS cookie secrets (RFC 9018): the first makes cookies, all verify them. Keep private.\n" + secrets.Format());
        File.Move(temporary, path, overwrite: true);
    }

    public void Dispose() => _timer.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "DNS cookie secret rotated in {Path}; the previous one still verifies")]
    private static partial void Rotated(ILogger log, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "DNS cookie secrets reloaded from {Path}: {Count} secret(s)")]
    private static partial void Reloaded(ILogger log, string path, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "DNS cookie secrets not reloaded, the ones in use are kept: {Error}")]
    private static partial void NotReloaded(ILogger log, string error);
}
