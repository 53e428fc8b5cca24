using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GeoDns.Server;

/// <summary>Builds the server's host; <c>Program</c> runs it and the integration tests start it on port 0.</summary>
public static class GeoDnsHost
{
    public static IHost Create(ServerOptions options, TimeProvider? time = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = false, Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        builder.Services.AddSingleton<DnsService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DnsService>());
        return builder.Build();
    }
}
