using System.Text.Json;
using System.Text.Json.Serialization;
using GeoDns.Contracts;
using GeoDns.Sidecar.Rotation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// The fleet panel on the daemon's endpoint: the page (<c>GET /</c>, FleetPanel.html beside this file, embedded in the
/// binary), the document it polls (<c>GET /v1/fleet</c>, a <see cref="FleetDocument"/>), and the changes it offers beside
/// <c>POST /v1/rotate/{edge}</c>: <c>PUT</c> and <c>DELETE /v1/edges/{edge}/drain</c>, and <c>PUT</c> and <c>DELETE
/// /v1/pools/{pool}/emergency</c> (the pool's emergency answer), each on every nameserver. Who may use which is
/// <see cref="EndpointAccess"/>'s rule.
/// </summary>
public static class FleetPanel
{
    public const string DefaultDrainReason = "drained by hand (fleet panel)";
    public const string DefaultEmergencyReason = "turned on by hand (fleet panel)";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string Html { get; } = Read();

    /// <summary>
    /// The page may run its own script and style (their SHA-256 hashes) and nothing else, talk only to this endpoint
    /// and be framed by nobody: an edge name or error text that slipped past the page's text-node rule could still
    /// not run, load or send anything.
    /// </summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; script-src '{Hash("script")}'; style-src '{Hash("style")}'; connect-src 'self'; img-src 'self' data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void Map(IEndpointRouteBuilder app, SidecarSession session, SidecarDaemon daemon)
    {
        app.MapGet(EndpointAccess.PanelPage, (HttpContext context) =>
        {
            context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            return Results.Content(Html, "text/html; charset=utf-8");
        });
        app.MapGet(EndpointAccess.FleetDocumentPath, () =>
            Results.Json(FleetDocument.Of(daemon.Fleet, daemon.AlertLog.Recent(FleetDocument.RecentAlerts), daemon.Running, session.Options), Json));
        app.MapPut("/v1/edges/{edge}/drain", async (string edge, HttpRequest request, CancellationToken cancel) =>
        {
            if (!Known(session, daemon, edge)) return NotKnown(edge);
            var body = request.ContentLength > 0 ? await request.ReadFromJsonAsync<DrainRequest>(Json, cancel) : null;
            return Done(edge, true, await session.Nameservers.DrainAsync(edge, string.IsNullOrWhiteSpace(body?.Reason) ? DefaultDrainReason : body.Reason, cancel));
        });
        app.MapDelete("/v1/edges/{edge}/drain", async (string edge, CancellationToken cancel) =>
        {
            if (!Known(session, daemon, edge)) return NotKnown(edge);
            // Mid-rotation the old edge is drained on purpose and soon destroyed: back in the answers, it would be handed
            // out until the destroy hook pulls it from under the clients.
            if (session.Journal.Unfinished(edge) is { Status: RotationStatus.Running } rotation)
                return Results.Json(new { error = $"rotation #{rotation.Id} of {edge} is running (step {rotation.Step}); undraining it now would put an edge about to be destroyed back in the answers" },
                    statusCode: StatusCodes.Status409Conflict);
            return Done(edge, false, await session.Nameservers.UndrainAsync(edge, cancel));
        });
        app.MapPut("/v1/pools/{pool}/emergency", async (string pool, HttpRequest request, CancellationToken cancel) =>
        {
            var body = request.ContentLength > 0 ? await request.ReadFromJsonAsync<EmergencyRequest>(Json, cancel) : null;
            var reason = string.IsNullOrWhiteSpace(body?.Reason) ? DefaultEmergencyReason : body.Reason;
            return Switched(session, pool, true, await session.Nameservers.SetEmergencyAsync(pool, true, reason, cancel));
        });
        app.MapDelete("/v1/pools/{pool}/emergency", async (string pool, CancellationToken cancel) =>
            Switched(session, pool, false, await session.Nameservers.SetEmergencyAsync(pool, false, null, cancel)));
    }

    /// <summary>
    /// Switched on every nameserver: 200 with each one's switch. Else 502 naming those that did not follow (the others are
    /// switched all the same, and the nameservers answer differently until it is repeated).
    /// </summary>
    private static IResult Switched(SidecarSession session, string pool, bool on, IReadOnlyList<(Admin.NameserverClient Nameserver, Outcome<EmergencyView> Outcome)> results)
    {
        var names = FleetWatch.NameserverNames(session.Options);
        var lines = results.Select((r, i) => (Name: names.ElementAtOrDefault(i) ?? r.Nameserver.ToString(), r.Outcome)).ToList();
        var failed = lines.Where(l => !l.Outcome.Ok).ToList();
        if (failed.Count == 0) return Results.Json(new { pool, on, nameservers = lines.Select(l => new { nameserver = l.Name, emergency = l.Outcome.Value }) }, Json);
        var done = lines.Where(l => l.Outcome.Ok).Select(l => l.Name).ToList();
        var error = $"not switched {(on ? "on" : "off")} on {string.Join("; ", failed.Select(f => $"{f.Name}: {f.Outcome.Error}"))}" +
            (done.Count > 0 ? $" (done on the others: {string.Join(", ", done)}); try again" : "; try again");
        return Results.Json(new { error }, statusCode: StatusCodes.Status502BadGateway);
    }

    /// <summary>Known at home, or listed by a nameserver at the last look (an edge only a nameserver has can be drained too).</summary>
    private static bool Known(SidecarSession session, SidecarDaemon daemon, string edge) =>
        session.Inventory.Find(edge) is not null || daemon.Fleet.Edges.Any(e => e.Name.Equals(edge, StringComparison.OrdinalIgnoreCase));

    private static IResult NotKnown(string edge) =>
        Results.Json(new { error = $"edge '{edge}' is not known here nor listed by any nameserver" }, statusCode: StatusCodes.Status404NotFound);

    /// <summary>Done on every nameserver, or which one refused: 502, the nameservers are the ones that failed.</summary>
    private static IResult Done(string edge, bool drained, Outcome outcome) => outcome.Ok
        ? Results.Json(new { edge, drained, note = outcome.Note })
        : Results.Json(new { error = outcome.Error }, statusCode: StatusCodes.Status502BadGateway);

    /// <summary>The CSP source for the page's one element <paramref name="tag"/>: the hash of exactly its text.</summary>
    private static string Hash(string tag)
    {
        var open = Html.IndexOf($"<{tag}>", StringComparison.Ordinal) + tag.Length + 2;
        var text = Html[open..Html.IndexOf($"</{tag}>", open, StringComparison.Ordinal)];
        return "sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    private static string Read()
    {
        using var stream = typeof(FleetPanel).Assembly.GetManifestResourceStream("GeoDns.Sidecar.Daemon.FleetPanel.html")
            ?? throw new InvalidOperationException("the fleet panel page is not embedded in the assembly (see GeoDns.Sidecar.csproj)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
