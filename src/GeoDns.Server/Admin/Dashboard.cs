namespace GeoDns.Server.Admin;

/// <summary>
/// The dashboard: one self-contained page (no CDN, no build step) that polls /v1/pools and /v1/events
/// every 2 s and shows each edge address in its state's colour, and the days left on the certificate
/// an HTTPS probe saw (red below the pool's probe.certificateWarningDays). It holds no data itself, so it is
/// served without a token; from beyond loopback the user pastes the token, kept in sessionStorage only.
/// Everything from the server goes into the page as text nodes, never as HTML: edge names come from the API.
/// The page is Dashboard.html beside this file, embedded in the assembly: HTML, CSS and script edited as such.
/// </summary>
public static class Dashboard
{
    public static string Html { get; } = Read();

    private static string Read()
    {
        using var stream = typeof(Dashboard).Assembly.GetManifestResourceStream("GeoDns.Server.Admin.Dashboard.html")
            ?? throw new InvalidOperationException("the dashboard page is not embedded in the assembly (see GeoDns.Server.csproj)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
