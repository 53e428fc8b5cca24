namespace GeoDns.Server.Admin;

/// <summary>
/// The dashboard: one self-contained page (no CDN, no build step) that polls /healthz, /v1/pools, /v1/zones and
/// /v1/events every 2 s and shows the version and health warnings, a red banner for each pool whose emergency answer is
/// on, when the home last reached this nameserver, each edge address in its state's colour, the
/// days left on the certificate an HTTPS probe saw (red below the pool's probe.certificateWarningDays), each zone
/// with its serial and the file:line errors of a failed reload, and the latest transitions. Times are the
/// browser's local time with date and zone; below 640 px wide every table row is a card, so a phone needs no
/// sideways scrolling. It holds no data itself, so it is served without a token; from beyond loopback the user
/// pastes the token, kept in sessionStorage only. Everything from the server goes into the page as text nodes,
/// never as HTML: edge names come from the API.
/// The page is Dashboard.html beside this file, embedded in the assembly: HTML, CSS and script edited as such.
/// </summary>
public static class Dashboard
{
    public static string Html { get; } = Read();

    /// <summary>
    /// The page may run its own script and style and nothing else (their SHA-256 hashes, CSP Level 2), talk only to
    /// this endpoint, and be framed by nobody: a name or error text that slipped past the text-node rule still could
    /// not run, load or send anything.
    /// </summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; script-src '{Hash("script")}'; style-src '{Hash("style")}'; connect-src 'self'; img-src 'self' data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The CSP source for the page's one element <paramref name="tag"/>: the hash of exactly its text.</summary>
    private static string Hash(string tag)
    {
        var open = Html.IndexOf($"<{tag}>", StringComparison.Ordinal) + tag.Length + 2;
        var text = Html[open..Html.IndexOf($"</{tag}>", open, StringComparison.Ordinal)];
        return "sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    private static string Read()
    {
        using var stream = typeof(Dashboard).Assembly.GetManifestResourceStream("GeoDns.Server.Admin.Dashboard.html")
            ?? throw new InvalidOperationException("the dashboard page is not embedded in the assembly (see GeoDns.Server.csproj)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
