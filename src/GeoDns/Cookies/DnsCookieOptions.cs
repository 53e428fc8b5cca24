namespace GeoDns.Cookies;

/// <summary>DNS Cookies (RFC 7873) with RFC 9018 server cookies.</summary>
public sealed class DnsCookieOptions
{
    /// <summary>Answer COOKIE options; off, the option is ignored as by a server that never heard of it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The secret file: one secret per line, 32 hex digits; the first makes cookies, every line verifies them.
    /// Empty: <c>cookie-secret</c> in the data directory, created at first start and rotated every
    /// <see cref="RotateEvery"/>. Set it to share one secret between ns1 and ns2 (then you rotate it:
    /// put a new line first, keep the old one second for an hour, on both).
    /// </summary>
    public string? SecretFile { get; set; }

    /// <summary>How often the secret in the data directory is replaced (the old one keeps verifying until the next rotation).</summary>
    public TimeSpan RotateEvery { get; set; } = TimeSpan.FromDays(1);

    public IReadOnlyList<string> Validate() =>
        RotateEvery < TimeSpan.FromHours(1) ? [$"cookies.rotateEvery: {RotateEvery} is shorter than a cookie's lifetime (1 hour)"] : [];
}
