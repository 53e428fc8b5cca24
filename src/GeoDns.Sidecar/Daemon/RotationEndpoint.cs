using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// The daemon's HTTP endpoint on a loopback address, for the home's own tools (a monitoring
/// alert, a button): <c>POST /v1/rotate/{edge}</c> starts or resumes a rotation, <c>GET /v1/rotations</c>
/// lists them, <c>GET /v1/status</c> is <c>status --json</c>'s document, <c>GET /metrics</c> is for Prometheus (<see cref="SidecarMetrics"/>),
/// and <see cref="FleetPanel"/> serves the fleet panel.
/// Every request needs the bearer token (a rotation buys and destroys VPS) but the panel's reads (<see cref="EndpointAccess"/>).
/// </summary>
public sealed class RotationEndpoint : IAsyncDisposable
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private readonly WebApplication _app;

    private RotationEndpoint(WebApplication app) => _app = app;

    /// <summary>The bound address, e.g. http://127.0.0.1:8054 (the real port when the config says 0).</summary>
    public string Address => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<RotationEndpoint> StartAsync(SidecarSession session, SidecarDaemon daemon, ILoggerFactory logs, CancellationToken cancel)
    {
        var token = session.Options.TokenValue();
        if (!token.Ok) throw new InvalidOperationException($"the run daemon needs a token for its endpoint: {token.Error}");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(logs);
        builder.WebHost.UseKestrel(k => k.Listen(IPEndPoint.Parse(session.Options.Listen)));
        var app = builder.Build();
        var access = new EndpointAccess(IPEndPoint.Parse(session.Options.Listen), token.Value!);
        app.Use(async (context, next) =>
        {
            if (!access.Allows(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            await next(context);
        });
        app.MapPost("/v1/rotate/{edge}", (string edge, HttpContext context) =>
        {
            var started = daemon.Request(edge, "POST /v1/rotate");
            if (started.Ok)
            {
                // The document `rotate EDGE --json` prints, so a forwarded one prints the same.
                context.Response.Headers.Location = $"/v1/rotations/{started.Value!.Id}";
                return Results.Json(Reports.RotationReport.Of(started.Value), Reports.ReportJson.Options, statusCode: StatusCodes.Status202Accepted);
            }
            var unknown = started.Error!.Contains("not known", StringComparison.Ordinal);
            return Results.Json(new { error = started.Error }, statusCode: unknown ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict);
        });
        app.MapPost("/v1/certificates", async (CancellationToken cancel) =>
            Results.Json((await daemon.PushCertificatesAsync(cancel)).Select(r => new { edge = r.Edge, error = r.Outcome.Error })));
        // status --json while the daemon runs: the same document the command prints, the firewall left to it.
        app.MapGet("/v1/status", () => Results.Json(Reports.StatusReport.Of(session, null), Reports.ReportJson.Options));
        app.MapGet("/metrics", () => Results.Text(SidecarMetrics.Write(session, daemon), SidecarMetrics.ContentType));
        app.MapGet("/v1/rotations", () => Results.Json(session.Journal.All().Take(50).Select(Describe)));
        app.MapGet("/v1/rotations/{id:int}", (int id) =>
            session.Journal.Find(id) is { } rotation ? Results.Json(rotation, Json) : Results.NotFound());
        FleetPanel.Map(app, session, daemon);
        await app.StartAsync(cancel);
        return new RotationEndpoint(app);
    }

    private static object Describe(Rotation.RotationRecord r) =>
        new { r.Id, r.OldEdge, newEdge = r.NewEdge?.Name ?? r.NewName, r.Trigger, step = r.Step.ToString(), status = r.Status.ToString(), r.Error, r.Started, r.Finished };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
