using GeoDns.Server.Admin;

namespace GeoDns.Server;

/// <summary>
/// Builds the server's host; <c>Program</c> runs it and the integration tests start it on port 0. The DNS service is
/// the host; the admin endpoint (API and dashboard), when on, is an HTTP server it starts beside itself
/// (<see cref="AdminServer"/>), so an admin address that cannot be bound never stops DNS.
/// </summary>
public static class GeoDnsHost
{
    /// <param name="moreLogging">Adds to the console log, e.g. a test's logger that fails as a log on a full disk would.</param>
    /// <exception cref="ArgumentException">The admin options are unusable (e.g. bound beyond loopback without a token); the message says why.</exception>
    public static IHost Create(ServerOptions options, TimeProvider? time = null, Action<ILoggingBuilder>? moreLogging = null)
    {
        var admin = AdminSettings.Resolve(options, Environment.GetEnvironmentVariable, out var error) ?? throw new ArgumentException(error);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = false, Args = [] });
        var logging = builder.Logging;
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = GeoDns.Configuration.ProgramVersion.LogTimestamp;
        });
        // ASP.NET Core logs every request at Information; the admin endpoint is not worth a line per dashboard refresh.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // A refused start (a broken zone, a bad key) is one line on stderr from Program, with the file and line; the
        // host's own "Hosting failed to start" would repeat it as a stack trace. Its stop errors are rethrown, not lost.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        moreLogging?.Invoke(logging);
        var services = builder.Services;
        services.AddSystemd(); // Type=notify under systemd (deploy/systemd/geodns.service); nothing elsewhere
        services.AddSingleton(options);
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSingleton<DnsService>();
        services.AddSingleton<AdminBinding>();
        // The DNS service reads it too: whether a token exists for the home to be heard by (its alerts).
        services.AddSingleton(admin);
        if (admin.Endpoint is not null)
        {
            services.AddSingleton<AdminServer>();
            // Started first, as before: /healthz says "starting" while the zones load and the first probe round runs.
            services.AddHostedService(sp => sp.GetRequiredService<AdminServer>());
        }
        services.AddHostedService(sp => sp.GetRequiredService<DnsService>());
        return builder.Build();
    }

    /// <summary>The admin endpoint's base address once it listens (its real port when configured with 0); null when off or not bound yet.</summary>
    public static Uri? AdminUri(IHost host) => host.Services.GetService<AdminBinding>()?.Listening;
}
