using GeoDns.Server.Admin;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace GeoDns.Server;

/// <summary>
/// Builds the server's host; <c>Program</c> runs it and the integration tests start it on port 0.
/// With the admin endpoint on it is an ASP.NET Core app (Kestrel serves the admin API and dashboard);
/// with it off, a plain generic host, so no HTTP port is opened at all.
/// </summary>
public static class GeoDnsHost
{
    /// <exception cref="ArgumentException">The admin options are unusable (e.g. bound beyond loopback without a token); the message says why.</exception>
    public static IHost Create(ServerOptions options, TimeProvider? time = null)
    {
        var admin = AdminSettings.Resolve(options, Environment.GetEnvironmentVariable, out var error) ?? throw new ArgumentException(error);
        if (admin.Endpoint is null)
        {
            var plain = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = false, Args = [] });
            AddServer(plain.Services, plain.Logging, options, time);
            return plain.Build();
        }
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        AddServer(builder.Services, builder.Logging, options, time);
        builder.Services.AddSingleton(admin);
        builder.Services.AddSingleton<FailedAttempts>();
        builder.Services.AddSingleton<TokenCheck>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(admin.Endpoint);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = AdminJson.MaxBodyBytes;
        });
        var app = builder.Build();
        AdminEndpoints.Map(app);
        return app;
    }

    /// <summary>The admin endpoint's base address once the host has started (its real port when configured with 0); null when off.</summary>
    public static Uri? AdminUri(IHost host) =>
        host.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } address ? new Uri(address) : null;

    private static void AddServer(IServiceCollection services, ILoggingBuilder logging, ServerOptions options, TimeProvider? time)
    {
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
        services.AddSystemd(); // Type=notify under systemd (deploy/systemd/geodns.service); nothing elsewhere
        services.AddSingleton(options);
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSingleton<DnsService>();
        services.AddHostedService(sp => sp.GetRequiredService<DnsService>());
    }
}
