using System.Globalization;

namespace GeoDns.Cookies;

/// <summary>The secrets of one moment: <see cref="Current"/> makes cookies, each of <see cref="All"/> verifies them (RFC 9018 §5: rolling over).</summary>
public sealed class CookieSecrets
{
    public const int SecretLength = 16;

    private const string SincePrefix = "# current since ";

    public CookieSecrets(IReadOnlyList<byte[]> all, DateTimeOffset? since = null)
    {
        if (all.Count == 0 || all.Any(s => s.Length != SecretLength)) throw new ArgumentException("cookie secrets are 16 bytes each, at least one");
        All = all;
        Since = since;
    }

    /// <summary>When the current secret was made, as the file records it (files we write do; an operator's may not).</summary>
    public DateTimeOffset? Since { get; }

    public byte[] Current => All[0];
    public IReadOnlyList<byte[]> All { get; }

    /// <summary>Reads the file format (one secret a line, 32 hex digits, # comments); null with <paramref name="error"/> naming the line.</summary>
    public static CookieSecrets? Parse(string text, string path, out string error)
    {
        error = "";
        var secrets = new List<byte[]>();
        DateTimeOffset? since = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith(SincePrefix, StringComparison.Ordinal) &&
                DateTimeOffset.TryParse(line[SincePrefix.Length..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                since = at;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.Length != SecretLength * 2 || !line.All(Uri.IsHexDigit))
            {
                error = $"{path}:{i + 1}: a cookie secret is 32 hex digits";
                return null;
            }
            secrets.Add(Convert.FromHexString(line));
        }
        if (secrets.Count == 0)
        {
            error = $"{path}: no cookie secret in the file";
            return null;
        }
        return new CookieSecrets(secrets, since);
    }

    public string Format() =>
        (Since is { } since ? SincePrefix + since.ToString("O", CultureInfo.InvariantCulture) + "\n" : "") +
        string.Concat(All.Select(s => Convert.ToHexString(s).ToLower(CultureInfo.InvariantCulture) + "\n"));
}
