namespace GeoDns.Server.Admin;

/// <summary>
/// The dashboard: one self-contained page (no CDN, no build step) that polls /healthz, /v1/pools, /v1/zones and
/// /v1/events every 2 s and shows the version and health warnings, each edge address in its state's colour, the
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

    private static string Read()
    {
        using var stream = typeof(Dashboard).Assembly.GetManifestResourceStream("GeoDns.Server.Admin.Dashboard.html")
            ?? throw new InvalidOperationException("the dashboard page is not embedded in the assembly (see GeoDns.Server.csproj)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
